/*
 * winepst: engine-backed contents tables
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * A folder's contents table starts engine-backed: it keeps the folder's
 * TC open and only the TC row numbers of its view, in view order, and
 * reads values for what a call needs: the sort columns for SortTable, the
 * restriction's columns for Restrict, the client's columns for the rows
 * QueryRows returns.  Reading the whole TC into a snapshot (folder.c) costs
 * every column of every row before the first call can answer.
 *
 * Each row is read as folder.c's snapshot row would be (computed columns,
 * MSGFLAG_ASSOCIATED, strings also in the type MAPI_UNICODE did not pick),
 * restricted to the property IDs a call looks at (and to the one string
 * type the call asks for), into scratch memory, and ordered, matched and
 * projected the way winemapix's table view does it (ties go by TC order,
 * the snapshot's insertion order), so that both give the same answers.
 * A sort on one numeric column, the usual one, is a radix sort.
 *
 * The engine-backed view answers the calls it can answer exactly: columns
 * once set, rows, row count, sort, restriction, cursor moves from the
 * three predefined bookmarks.  Anything else (default columns, bookmarks,
 * FindRow, sinks, categories, input to be refused) hands the table over to
 * a snapshot in the same state (folder_snapshot_table), which answers
 * everything from then on, as before.  So does a write to the store
 * (contents_tables_freeze, before the write): the snapshot then catches up
 * row by row with the notifications and cursor moves of the old path.
 *
 * Locking: the logon's lock guards the engine and the view's state.
 */

#include <stdlib.h>

#include "winepst_private.h"
/* winemapix's, built in through PARENTSRC */
#include "propval.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* The TC's own bookkeeping columns are not properties of the rows */
#define IS_LTP_COLUMN(tag) (PROP_ID(tag) == 0x67f2 || PROP_ID(tag) == 0x67f3)
/* computed columns of every row, before the stored ones (folder.c's add_row) */
#define COMPUTED_COLUMNS 6

struct contents
{
    struct table_forward forward;
    LONG refcount;
    struct store_child child;
    uint32_t folder_nid;
    ULONG flags;                /* GetContentsTable flags */
    BOOL unicode, associated;
    ULONG generation;           /* logon->generation the TC was read at */
    ENTRYID *store_entryid;     /* malloc'd copy of the wrapped store entry ID */
    ULONG store_entryid_size;
    BYTE parent_entryid[PST_ENTRYID_SIZE];
    struct pst_table *tc;       /* NULL once handed over or dead */
    ULONG *tags;                /* the TC's row columns, in column order */
    ULONG tag_count;
    ULONG total;                /* rows of the TC */
    ULONG *rows;                /* TC row numbers in view order */
    ULONG row_count;
    ULONG cursor;
    SPropTagArray *columns;     /* NULL: the default ones, not set yet */
    SSortOrderSet *sort;
    SRestriction *res;          /* restriction_copy()'s */
    IMAPITable *snapshot;       /* after the hand-over, every call goes there */
};

static inline struct contents *impl_from_IMAPITable( IMAPITable *iface )
{
    return CONTAINING_RECORD( iface, struct contents, forward.IMAPITable_iface );
}

static void contents_free_state( struct contents *table )
{
    restriction_free( table->res );
    table->res = NULL;
    free( table->rows );
    table->rows = NULL;
    table->row_count = 0;
}

static void contents_invalidate( struct store_child *child )
{
    struct contents *table = CONTAINING_RECORD( child, struct contents, child );

    /* the snapshot is a child of its own, invalidated by the same loop:
     * it goes at our last Release, with no lock held */
    if (table->tc) pst_table_close( table->tc );
    table->tc = NULL;
    contents_free_state( table );
}

/* row values */

/* Scratch memory for the values of rows read for a sort, a restriction or
 * a projection: nothing of it reaches the client, which gets copies in
 * MAPI memory, and it all goes at once. */
struct arena_chunk
{
    struct arena_chunk *next;
    SIZE_T size;
};

struct arena
{
    struct arena_chunk *chunks;
    BYTE *next;
    SIZE_T left;
};

static void arena_free( struct arena *arena )
{
    struct arena_chunk *chunk, *next;

    for (chunk = arena->chunks; chunk; chunk = next)
    {
        next = chunk->next;
        free( chunk );
    }
    arena->chunks = NULL;
    arena->next = NULL;
    arena->left = 0;
}

/* An ALLOCATEMORE over an arena: PARENT is the arena. */
static SCODE WINAPI arena_more( ULONG size, void *parent, void **out )
{
    struct arena *arena = parent;
    struct arena_chunk *chunk;
    SIZE_T need = (size + 15) & ~(SIZE_T)15, chunk_size;

    if (need > arena->left)
    {
        chunk_size = max( need, 64 * 1024 );
        if (!(chunk = malloc( sizeof(*chunk) + 16 + chunk_size ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        chunk->next = arena->chunks;
        chunk->size = chunk_size;
        arena->chunks = chunk;
        arena->next = (BYTE *)(((ULONG_PTR)(chunk + 1) + 15) & ~(ULONG_PTR)15);
        arena->left = chunk_size;
    }
    *out = arena->next;
    arena->next += need;
    arena->left -= need;
    return S_OK;
}

static const struct mapi_allocators arena_allocators = { NULL, arena_more, NULL };

/* whether TAGS ask for a property of the ID of TAG */
static BOOL ids_want( const ULONG *tags, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++) if (PROP_ID(tags[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

/* whether TAGS ask for the ID of TAG as a string of the type that is not
 * the default one: only then is it read in both types (the lookups of
 * winemapix find the default one first) */
static BOOL other_wanted( const ULONG *tags, ULONG count, ULONG tag, BOOL unicode )
{
    ULONG i, other = unicode ? PT_STRING8 : PT_UNICODE;

    for (i = 0; i < count; i++)
        if (PROP_ID(tags[i]) == PROP_ID(tag) && (PROP_TYPE(tags[i]) & ~MV_FLAG) == other) return TRUE;
    return FALSE;
}

static void set_binary( SPropValue *prop, ULONG tag, const void *data, ULONG size )
{
    prop->ulPropTag = tag;
    prop->dwAlignPad = 0;
    prop->Value.bin.cb = size;
    prop->Value.bin.lpb = (BYTE *)data;
}

/* What to read of each row for a set of property IDs. */
struct row_plan
{
    BOOL entryid, instance_key, parent_entryid, record_key, store_entryid, object_type;
    ULONG *tags;                /* stored columns with those IDs, in column order */
    BOOL *other;                /* the string in the other type too */
    ULONG count;
};

static void row_plan_free( struct row_plan *plan )
{
    free( plan->tags );
    free( plan->other );
    plan->tags = NULL;
    plan->other = NULL;
}

static HRESULT row_plan_init( struct contents *table, const ULONG *ids, ULONG id_count, struct row_plan *plan )
{
    ULONG i;

    plan->entryid = ids_want( ids, id_count, PR_ENTRYID );
    plan->instance_key = ids_want( ids, id_count, PR_INSTANCE_KEY );
    plan->parent_entryid = ids_want( ids, id_count, PR_PARENT_ENTRYID );
    plan->record_key = ids_want( ids, id_count, PR_STORE_RECORD_KEY );
    plan->store_entryid = table->store_entryid && ids_want( ids, id_count, PR_STORE_ENTRYID );
    plan->object_type = ids_want( ids, id_count, PR_OBJECT_TYPE );
    plan->count = 0;
    plan->tags = malloc( max( table->tag_count, 1 ) * sizeof(*plan->tags) );
    plan->other = malloc( max( table->tag_count, 1 ) * sizeof(*plan->other) );
    if (!plan->tags || !plan->other)
    {
        row_plan_free( plan );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < table->tag_count; i++)
    {
        ULONG tag = table->tags[i];

        if (!ids_want( ids, id_count, tag )) continue;
        /* a computed column wins over a stored one */
        if (PROP_ID(tag) == PROP_ID(PR_ENTRYID) || PROP_ID(tag) == PROP_ID(PR_INSTANCE_KEY)
                || PROP_ID(tag) == PROP_ID(PR_PARENT_ENTRYID) || PROP_ID(tag) == PROP_ID(PR_STORE_RECORD_KEY)
                || PROP_ID(tag) == PROP_ID(PR_OBJECT_TYPE)
                || (table->store_entryid && PROP_ID(tag) == PROP_ID(PR_STORE_ENTRYID))) continue;
        plan->other[plan->count] = other_wanted( ids, id_count, tag, table->unicode );
        plan->tags[plan->count++] = tag;
    }
    return S_OK;
}

/* The values of TC row ROW that PLAN reads, as folder.c's snapshot row
 * holds them; PROPS has room for COMPUTED_COLUMNS + 2 * tag_count, memory
 * goes with PARENT.  Lock held. */
static HRESULT contents_row( struct contents *table, ULONG row, const struct row_plan *plan, struct arena *arena,
                             SPropValue *props, ULONG *count )
{
    struct store_logon *logon = table->child.logon;
    struct pst_value value;
    ULONG i, j, n = 0, first;
    uint32_t nid;
    HRESULT hr;
    BYTE *buf;
    int err;

    if (plan->entryid || plan->instance_key)
    {
        if ((err = pst_table_row_id( table->tc, row, &nid ))) return hresult_from_pst( err );
        if (plan->entryid)
        {
            if (FAILED(hr = arena_more( PST_ENTRYID_SIZE, arena, (void **)&buf ))) return hr;
            pst_entryid_format( logon->uid, nid, buf );
            set_binary( &props[n++], PR_ENTRYID, buf, PST_ENTRYID_SIZE );
        }
        if (plan->instance_key)
        {
            if (FAILED(hr = arena_more( sizeof(nid), arena, (void **)&buf ))) return hr;
            memcpy( buf, &nid, sizeof(nid) );
            set_binary( &props[n++], PR_INSTANCE_KEY, buf, sizeof(nid) );
        }
    }
    if (plan->parent_entryid)
        set_binary( &props[n++], PR_PARENT_ENTRYID, table->parent_entryid, sizeof(table->parent_entryid) );
    if (plan->record_key) set_binary( &props[n++], PR_STORE_RECORD_KEY, logon->uid, sizeof(logon->uid) );
    if (plan->store_entryid)
        set_binary( &props[n++], PR_STORE_ENTRYID, table->store_entryid, table->store_entryid_size );
    if (plan->object_type)
    {
        props[n].ulPropTag = PR_OBJECT_TYPE;
        props[n].dwAlignPad = 0;
        props[n++].Value.l = MAPI_MESSAGE;
    }

    for (i = 0; i < plan->count; i++)
    {
        ULONG tag = plan->tags[i];

        /* a stored column already there wins */
        for (j = 0; j < n; j++) if (PROP_ID(props[j].ulPropTag) == PROP_ID(tag)) break;
        if (j < n) continue;
        if ((err = pst_table_get_cell( table->tc, row, tag, &value )))
        {
            if (err == PST_E_NOT_FOUND) continue;
            return hresult_from_pst( err );
        }
        if (FAILED(hr = props_convert_value( &arena_allocators, arena, &value,
                                             PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)), table->unicode, &props[n] )))
            return hr;
        if (PROP_TYPE(props[n].ulPropTag) == PT_ERROR) continue;
        if (table->associated && props[n].ulPropTag == PR_MESSAGE_FLAGS) props[n].Value.l |= MSGFLAG_ASSOCIATED;
        first = n++;
        if (!plan->other[i]) continue;
        /* the string in the other type too, after the default one */
        switch (PROP_TYPE(props[first].ulPropTag))
        {
        case PT_STRING8: case PT_UNICODE: case PT_MV_STRING8: case PT_MV_UNICODE:
            if (FAILED(hr = props_convert_value( &arena_allocators, arena, &value, PROP_TAG(PT_UNSPECIFIED,
                        PROP_ID(tag)), !table->unicode, &props[n] ))) return hr;
            if (PROP_TYPE(props[n].ulPropTag) != PT_ERROR && props[n].ulPropTag != props[first].ulPropTag) n++;
            break;
        }
    }
    *count = n;
    return S_OK;
}

/* winemapix's row lookup: the first value of the ID, of the type asked
 * for unless that is PT_UNSPECIFIED */
static const SPropValue *row_find( const SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++)
    {
        if (PROP_ID(props[i].ulPropTag) != PROP_ID(tag)) continue;
        if (PROP_TYPE(tag) == PT_UNSPECIFIED || props[i].ulPropTag == tag) return &props[i];
    }
    return NULL;
}

/* Property IDs a restriction looks at; FALSE for what we do not know. */
static BOOL res_ids( const SRestriction *res, ULONG **ids, ULONG *count, ULONG *capacity, int depth )
{
    ULONG tags[2], n = 0, i, j;

    if (depth > 64) return FALSE;
    switch (res->rt)
    {
    case RES_AND:
    case RES_OR:
        for (i = 0; i < res->res.resAnd.cRes; i++)
            if (!res_ids( &res->res.resAnd.lpRes[i], ids, count, capacity, depth + 1 )) return FALSE;
        return TRUE;
    case RES_NOT:
        return res_ids( res->res.resNot.lpRes, ids, count, capacity, depth + 1 );
    case RES_COMMENT:
        return !res->res.resComment.lpRes || res_ids( res->res.resComment.lpRes, ids, count, capacity, depth + 1 );
    case RES_CONTENT: tags[n++] = res->res.resContent.ulPropTag; break;
    case RES_PROPERTY: tags[n++] = res->res.resProperty.ulPropTag; break;
    case RES_COMPAREPROPS:
        tags[n++] = res->res.resCompareProps.ulPropTag1;
        tags[n++] = res->res.resCompareProps.ulPropTag2;
        break;
    case RES_BITMASK: tags[n++] = res->res.resBitMask.ulPropTag; break;
    case RES_SIZE: tags[n++] = res->res.resSize.ulPropTag; break;
    case RES_EXIST: tags[n++] = res->res.resExist.ulPropTag; break;
    default: return FALSE;
    }
    for (i = 0; i < n; i++)
    {
        for (j = 0; j < *count; j++) if ((*ids)[j] == tags[i]) break;
        if (j < *count) continue;
        if (*count == *capacity)
        {
            ULONG *grown = realloc( *ids, (*capacity = *capacity * 2 + 8) * sizeof(**ids) );

            if (!grown) return FALSE;
            *ids = grown;
        }
        (*ids)[(*count)++] = tags[i];
    }
    return TRUE;
}

/* view order */

struct sort_key
{
    const SPropValue *value;    /* NULL: the row lacks the column */
    ULONG type;                 /* of the value */
    BOOL numeric;               /* NUM orders it as propval_compare does */
    LONGLONG num;
};

/* Numbers propval_compare orders by value, as one signed 64-bit key:
 * comparing those needs no call per comparison. */
static void sort_key_set( struct sort_key *key, const SPropValue *value )
{
    key->value = value;
    key->type = PROP_TYPE(value->ulPropTag);
    key->numeric = TRUE;
    switch (key->type)
    {
    case PT_I2: key->num = value->Value.i; break;
    case PT_LONG: key->num = value->Value.l; break;
    case PT_ERROR: key->num = value->Value.err; break;
    case PT_BOOLEAN: key->num = !!value->Value.b; break;
    case PT_CURRENCY: key->num = value->Value.cur.int64; break;
    case PT_I8: key->num = value->Value.li.QuadPart; break;
    case PT_SYSTIME:
        /* CompareFileTime's unsigned order */
        key->num = (LONGLONG)((((ULONGLONG)value->Value.ft.dwHighDateTime << 32) | value->Value.ft.dwLowDateTime)
                              ^ ((ULONGLONG)1 << 63));
        break;
    default: key->numeric = FALSE; break;
    }
}

struct sort_context
{
    const SSortOrderSet *sort;
    const struct sort_key *keys;   /* sort->cSorts per TC row */
};

/* winemapix's view order: rows lacking a column first, then by value,
 * ties by TC order */
static int compare_keys( const struct sort_context *ctx, ULONG first, ULONG a, ULONG b )
{
    ULONG i, n = ctx->sort->cSorts;
    int ret;

    for (i = first; i < n; i++)
    {
        const struct sort_key *ka = &ctx->keys[a * n + i], *kb = &ctx->keys[b * n + i];

        if (!ka->value || !kb->value) ret = (ka->value ? 1 : 0) - (kb->value ? 1 : 0);
        else if (ka->type != kb->type) ret = ka->type < kb->type ? -1 : 1;
        else if (ka->numeric) ret = ka->num < kb->num ? -1 : (ka->num > kb->num ? 1 : 0);
        else ret = propval_compare( ka->value, kb->value );
        if (ctx->sort->aSort[i].ulOrder == TABLE_SORT_DESCEND) ret = -ret;
        if (ret) return ret;
    }
    return a < b ? -1 : (a > b ? 1 : 0);
}

/* A row with its first key inline: most comparisons need nothing else,
 * and the sort walks one array instead of jumping through the keys. */
struct sort_entry
{
    LONGLONG num;
    ULONG type;                 /* 0: the row lacks the column */
    BOOL numeric;
    ULONG row;
};

static int compare_entries( const struct sort_context *ctx, const struct sort_entry *a, const struct sort_entry *b )
{
    int ret;

    if (!a->type || !b->type) ret = (a->type ? 1 : 0) - (b->type ? 1 : 0);
    else if (a->type != b->type) ret = a->type < b->type ? -1 : 1;
    else if (a->numeric) ret = a->num < b->num ? -1 : (a->num > b->num ? 1 : 0);
    else ret = propval_compare( ctx->keys[a->row * ctx->sort->cSorts].value,
                                ctx->keys[b->row * ctx->sort->cSorts].value );
    if (ctx->sort->aSort[0].ulOrder == TABLE_SORT_DESCEND) ret = -ret;
    if (ret) return ret;
    return compare_keys( ctx, 1, a->row, b->row );
}

static void merge_sort( const struct sort_context *ctx, struct sort_entry *rows, struct sort_entry *tmp,
                        ULONG count )
{
    ULONG mid = count / 2, i = 0, j = mid, k = 0;

    if (count < 2) return;
    merge_sort( ctx, rows, tmp, mid );
    merge_sort( ctx, rows + mid, tmp, count - mid );
    while (i < mid && j < count)
    {
        if (compare_entries( ctx, &rows[j], &rows[i] ) < 0) tmp[k++] = rows[j++];
        else tmp[k++] = rows[i++];
    }
    while (i < mid) tmp[k++] = rows[i++];
    while (j < count) tmp[k++] = rows[j++];
    memcpy( rows, tmp, count * sizeof(*rows) );
}

/* One numeric sort column, one type: the same order by a stable radix
 * sort of the keys (ties keep TC order), with the rows lacking the column
 * first ascending and last descending, as compare_entries orders them.
 * FALSE when the keys are not all of that kind. */
static BOOL radix_sort( const struct sort_context *ctx, struct sort_entry *entries, ULONG count )
{
    BOOL descend = ctx->sort->aSort[0].ulOrder == TABLE_SORT_DESCEND;
    ULONG i, n = 0, absent = 0, type = 0, pass, counts[256];
    ULONGLONG *keys, *keys_tmp;
    ULONG *order, *order_tmp, *swap_order;
    ULONGLONG *swap_keys;

    for (i = 0; i < count; i++)
    {
        if (!entries[i].type) continue;
        if (!entries[i].numeric || (type && entries[i].type != type)) return FALSE;
        type = entries[i].type;
    }
    if (!(keys = malloc( 2 * count * sizeof(*keys) ))) return FALSE;
    if (!(order = malloc( 2 * count * sizeof(*order) )))
    {
        free( keys );
        return FALSE;
    }
    keys_tmp = keys + count;
    order_tmp = order + count;
    for (i = 0; i < count; i++)
    {
        ULONGLONG key;

        if (!entries[i].type) continue;
        /* the signed order as an unsigned one, reversed when descending */
        key = (ULONGLONG)entries[i].num ^ ((ULONGLONG)1 << 63);
        keys[n] = descend ? ~key : key;
        order[n++] = entries[i].row;
    }
    for (pass = 0; pass < 8; pass++)
    {
        ULONG shift = pass * 8, sum = 0, c;

        memset( counts, 0, sizeof(counts) );
        for (i = 0; i < n; i++) counts[(keys[i] >> shift) & 0xff]++;
        /* a byte the same in every key changes nothing */
        if (n && counts[(keys[0] >> shift) & 0xff] == n) continue;
        for (i = 0; i < 256; i++)
        {
            c = counts[i];
            counts[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
        {
            ULONG at = counts[(keys[i] >> shift) & 0xff]++;

            keys_tmp[at] = keys[i];
            order_tmp[at] = order[i];
        }
        swap_keys = keys; keys = keys_tmp; keys_tmp = swap_keys;
        swap_order = order; order = order_tmp; order_tmp = swap_order;
    }
    /* rows lacking the column, in TC order, before or after */
    absent = count - n;
    if (!descend)
    {
        ULONG k = 0;

        for (i = 0; i < count; i++) if (!entries[i].type) entries[k++].row = entries[i].row;
        for (i = 0; i < n; i++) entries[absent + i].row = order[i];
    }
    else
    {
        ULONG k = 0;

        /* order_tmp is free scratch after the last pass */
        for (i = 0; i < count; i++) if (!entries[i].type) order_tmp[k++] = entries[i].row;
        for (i = 0; i < absent; i++) entries[n + i].row = order_tmp[i];
        for (i = 0; i < n; i++) entries[i].row = order[i];
    }
    free( keys < keys_tmp ? keys : keys_tmp );
    free( order < order_tmp ? order : order_tmp );
    return TRUE;
}

/* Refills the view: the rows the restriction keeps, in sort order, and the
 * cursor at the start.  Lock held. */
static HRESULT contents_rebuild( struct contents *table )
{
    ULONG *ids = NULL, id_count = 0, id_capacity = 0, i, k, n, *rows;
    struct sort_entry *entries;
    SPropValue *props = NULL, *values = NULL;
    struct row_plan plan = { 0 };
    struct sort_key *keys = NULL;
    struct arena arena = { 0 };
    HRESULT hr = S_OK;
    ULONG sorts = table->sort ? table->sort->cSorts : 0;

    if (!(rows = malloc( max( table->total, 1 ) * sizeof(*rows) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(props = malloc( (COMPUTED_COLUMNS + 2 * table->tag_count) * sizeof(*props) )))
    {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }

    n = 0;
    if (table->res)
    {
        if (!res_ids( table->res, &ids, &id_count, &id_capacity, 0 ))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto done;
        }
        if (FAILED(hr = row_plan_init( table, ids, id_count, &plan ))) goto done;
        for (i = 0; i < table->total; i++)
        {
            ULONG count;

            /* the values of a batch of rows go at once */
            if (!(i % 256)) arena_free( &arena );
            if (FAILED(hr = contents_row( table, i, &plan, &arena, props, &count ))) goto done;
            if (restriction_match( table->res, props, count )) rows[n++] = i;
        }
        arena_free( &arena );
    }
    else for (i = 0; i < table->total; i++) rows[n++] = i;

    if (sorts && n > 1)
    {
        struct sort_context ctx;

        id_count = 0;
        for (k = 0; k < sorts; k++)
        {
            for (i = 0; i < id_count; i++) if (ids[i] == table->sort->aSort[k].ulPropTag) break;
            if (i < id_count) continue;
            if (id_count == id_capacity)
            {
                ULONG *grown = realloc( ids, (id_capacity = id_capacity * 2 + 8) * sizeof(*ids) );

                if (!grown)
                {
                    hr = MAPI_E_NOT_ENOUGH_MEMORY;
                    goto done;
                }
                ids = grown;
            }
            ids[id_count++] = table->sort->aSort[k].ulPropTag;
        }
        row_plan_free( &plan );
        if (FAILED(hr = row_plan_init( table, ids, id_count, &plan ))) goto done;
        /* the keys by TC row; their values live in the arena until the end */
        if (!(keys = calloc( (size_t)table->total * sorts, sizeof(*keys) )))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto done;
        }
        if (!(values = malloc( max( n * sorts, 1 ) * sizeof(SPropValue) )))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto done;
        }
        for (i = 0; i < n; i++)
        {
            ULONG count;

            if (FAILED(hr = contents_row( table, rows[i], &plan, &arena, props, &count ))) goto done;
            for (k = 0; k < sorts; k++)
            {
                const SPropValue *p = row_find( props, count, table->sort->aSort[k].ulPropTag );

                if (!p) continue;
                values[i * sorts + k] = *p;
                sort_key_set( &keys[rows[i] * sorts + k], &values[i * sorts + k] );
            }
        }
        if (!(entries = malloc( 2 * n * sizeof(*entries) )))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto done;
        }
        for (i = 0; i < n; i++)
        {
            const struct sort_key *key = &keys[rows[i] * sorts];

            entries[i].type = key->value ? key->type : 0;
            entries[i].numeric = key->numeric;
            entries[i].num = key->num;
            entries[i].row = rows[i];
        }
        ctx.sort = table->sort;
        ctx.keys = keys;
        if (sorts > 1 || !radix_sort( &ctx, entries, n )) merge_sort( &ctx, entries, entries + n, n );
        for (i = 0; i < n; i++) rows[i] = entries[i].row;
        free( entries );
    }

    free( table->rows );
    table->rows = rows;
    table->row_count = n;
    table->cursor = 0;
    rows = NULL;

done:
    arena_free( &arena );
    free( values );
    row_plan_free( &plan );
    free( keys );
    free( props );
    free( ids );
    free( rows );
    return hr;
}

/* the hand-over */

/* Replaces the engine-backed view by a snapshot in the same state; lock
 * held.  On failure the table stays engine-backed. */
static HRESULT contents_hand_over( struct contents *table )
{
    struct store_logon *logon = table->child.logon;
    struct table_state state;
    HRESULT hr;

    if (table->snapshot) return S_OK;
    state.columns = table->columns;
    state.res = table->res;
    state.sort = table->sort;
    state.cursor = table->cursor;
    if (FAILED(hr = folder_snapshot_table( logon, table->folder_nid, FALSE, table->flags, table->store_entryid,
                                           table->store_entryid_size, &state, &table->snapshot )))
    {
        WARN( "no snapshot of table %p: %#lx.\n", table, hr );
        return hr;
    }
    TRACE( "table %p handed over to %p.\n", table, table->snapshot );
    pst_table_close( table->tc );
    table->tc = NULL;
    contents_free_state( table );
    return S_OK;
}

void contents_tables_freeze( struct store_logon *logon )
{
    struct store_child *child;
    struct contents *table;

    LIST_FOR_EACH_ENTRY( child, &logon->children, struct store_child, entry )
    {
        if (child->dead || child->invalidate != contents_invalidate) continue;
        table = CONTAINING_RECORD( child, struct contents, child );
        contents_hand_over( table );
    }
}

/* Enters the table: S_OK with the lock held when the engine-backed view
 * answers; S_FALSE with *SNAPSHOT (a reference) and no lock when the
 * snapshot does, after a hand-over when HAND_OVER (or NEED_COLUMNS and the
 * client set none); an error (no lock) when the table is dead or the
 * hand-over failed. */
static HRESULT contents_enter_columns( struct contents *table, BOOL hand_over, BOOL need_columns,
                                       IMAPITable **snapshot )
{
    struct store_logon *logon = table->child.logon;
    HRESULT hr;

    *snapshot = NULL;
    if (!store_child_enter( &table->child )) return MAPI_E_INVALID_OBJECT;
    if (need_columns && !table->columns) hand_over = TRUE;
    /* a write nobody froze us for: the snapshot of what is there now */
    if (!table->snapshot && table->generation != logon->generation) hand_over = TRUE;
    if (hand_over && FAILED(hr = contents_hand_over( table )))
    {
        store_child_leave( &table->child );
        return hr;
    }
    if (!table->snapshot) return S_OK;
    *snapshot = table->snapshot;
    IMAPITable_AddRef( *snapshot );
    store_child_leave( &table->child );
    return S_FALSE;
}

static HRESULT contents_enter( struct contents *table, BOOL hand_over, IMAPITable **snapshot )
{
    return contents_enter_columns( table, hand_over, FALSE, snapshot );
}

/* The snapshot, for the calls only it answers (struct table_forward). */
static HRESULT contents_target( struct table_forward *forward, IMAPITable **target )
{
    struct contents *table = CONTAINING_RECORD( forward, struct contents, forward );

    return contents_enter( table, TRUE, target );
}

static HRESULT WINAPI contents_QueryInterface( IMAPITable *iface, REFIID riid, void **out )
{
    struct contents *table = impl_from_IMAPITable( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPITable ))
    {
        *out = &table->forward.IMAPITable_iface;
        IMAPITable_AddRef( &table->forward.IMAPITable_iface );
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI contents_AddRef( IMAPITable *iface )
{
    struct contents *table = impl_from_IMAPITable( iface );
    ULONG refcount = InterlockedIncrement( &table->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI contents_Release( IMAPITable *iface )
{
    struct contents *table = impl_from_IMAPITable( iface );
    ULONG refcount = InterlockedDecrement( &table->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        store_child_destroy( &table->child );
        if (table->snapshot) IMAPITable_Release( table->snapshot );
        contents_free_state( table );
        free( table->columns );
        free( table->sort );
        free( table->tags );
        free( table->store_entryid );
        free( table );
    }
    return refcount;
}

static HRESULT WINAPI contents_GetLastError( IMAPITable *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (FAILED(hr = contents_enter( table, !error || (flags & ~MAPI_UNICODE), &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_GetLastError( snapshot, result, flags, error );
        IMAPITable_Release( snapshot );
        return hr;
    }
    /* no extended error information is kept, as in the snapshot */
    *error = NULL;
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_GetStatus( IMAPITable *iface, ULONG *status, ULONG *type )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p, %p, %p.\n", iface, status, type );

    if (FAILED(hr = contents_enter( table, !status || !type, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_GetStatus( snapshot, status, type );
        IMAPITable_Release( snapshot );
        return hr;
    }
    *status = TBLSTAT_COMPLETE;
    *type = TBLTYPE_SNAPSHOT;
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_SetColumns( IMAPITable *iface, SPropTagArray *columns, ULONG flags )
{
    struct contents *table = impl_from_IMAPITable( iface );
    SPropTagArray *copy = NULL;
    IMAPITable *snapshot;
    BOOL plain;
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, columns, flags );

    /* what the snapshot would refuse, it refuses */
    plain = columns && !IsBadReadPtr( columns, CbSPropTagArray(columns) ) && !(flags & ~(TBL_ASYNC | TBL_BATCH))
            && (copy = malloc( CbSPropTagArray(columns) ));
    if (FAILED(hr = contents_enter( table, !plain, &snapshot )))
    {
        free( copy );
        return hr;
    }
    if (hr == S_FALSE)
    {
        free( copy );
        hr = IMAPITable_SetColumns( snapshot, columns, flags );
        IMAPITable_Release( snapshot );
        return hr;
    }
    memcpy( copy, columns, CbSPropTagArray(columns) );
    free( table->columns );
    table->columns = copy;
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_QueryColumns( IMAPITable *iface, ULONG flags, SPropTagArray **columns )
{
    struct contents *table = impl_from_IMAPITable( iface );
    struct store_logon *logon = table->child.logon;
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, columns );

    /* the default columns and TBL_ALL_COLUMNS are the snapshot's */
    if (FAILED(hr = contents_enter_columns( table, !columns || flags, TRUE, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_QueryColumns( snapshot, flags, columns );
        IMAPITable_Release( snapshot );
        return hr;
    }
    if (SUCCEEDED(hr = logon->alloc.allocate_buffer( CbSPropTagArray(table->columns), (void **)columns )))
        memcpy( *columns, table->columns, CbSPropTagArray(table->columns) );
    store_child_leave( &table->child );
    return hr;
}

static HRESULT WINAPI contents_GetRowCount( IMAPITable *iface, ULONG flags, ULONG *count )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, count );

    if (FAILED(hr = contents_enter( table, !count || flags, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_GetRowCount( snapshot, flags, count );
        IMAPITable_Release( snapshot );
        return hr;
    }
    *count = table->row_count;
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_SeekRow( IMAPITable *iface, BOOKMARK origin, LONG rows, LONG *sought )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    LONGLONG target;
    ULONG pos;
    HRESULT hr;

    TRACE( "%p, %#Ix, %ld, %p.\n", iface, (ULONG_PTR)origin, rows, sought );

    /* bookmarks of the client's own live in the snapshot */
    if (FAILED(hr = contents_enter( table, origin > BOOKMARK_END, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = snapshot->lpVtbl->SeekRow( snapshot, origin, rows, sought );
        IMAPITable_Release( snapshot );
        return hr;
    }
    if (origin == BOOKMARK_BEGINNING) pos = 0;
    else if (origin == BOOKMARK_CURRENT) pos = min( table->cursor, table->row_count );
    else pos = table->row_count;
    target = (LONGLONG)pos + rows;
    if (target < 0) target = 0;
    if (target > table->row_count) target = table->row_count;
    table->cursor = target;
    if (sought) *sought = (LONG)(target - pos);
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_SeekRowApprox( IMAPITable *iface, ULONG numerator, ULONG denominator )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p, %lu, %lu.\n", iface, numerator, denominator );

    if (FAILED(hr = contents_enter( table, !denominator, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_SeekRowApprox( snapshot, numerator, denominator );
        IMAPITable_Release( snapshot );
        return hr;
    }
    if (numerator >= denominator) table->cursor = table->row_count;
    else table->cursor = (ULONG)((ULONGLONG)table->row_count * numerator / denominator);
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_QueryPosition( IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p.\n", iface, row, numerator, denominator );

    if (FAILED(hr = contents_enter( table, !row || !numerator || !denominator, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = snapshot->lpVtbl->QueryPosition( snapshot, row, numerator, denominator );
        IMAPITable_Release( snapshot );
        return hr;
    }
    *row = table->cursor;
    *numerator = table->cursor;
    *denominator = max( table->row_count, 1 );
    store_child_leave( &table->child );
    return S_OK;
}

static HRESULT WINAPI contents_Restrict( IMAPITable *iface, SRestriction *res, ULONG flags )
{
    struct contents *table = impl_from_IMAPITable( iface );
    ULONG *ids = NULL, id_count = 0, id_capacity = 0;
    SRestriction *old_res;
    IMAPITable *snapshot;
    BOOL plain;
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, res, flags );

    plain = !(flags & ~(TBL_ASYNC | TBL_BATCH))
            && (!res || (SUCCEEDED(restriction_check( res, FALSE )) && res_ids( res, &ids, &id_count, &id_capacity, 0 )));
    free( ids );
    if (FAILED(hr = contents_enter( table, !plain, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = snapshot->lpVtbl->Restrict( snapshot, res, flags );
        IMAPITable_Release( snapshot );
        return hr;
    }
    old_res = table->res;
    table->res = NULL;
    if (res && !(table->res = restriction_copy( res ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else hr = contents_rebuild( table );
    if (SUCCEEDED(hr)) restriction_free( old_res );
    else
    {
        /* the view keeps its old restriction */
        restriction_free( table->res );
        table->res = old_res;
    }
    store_child_leave( &table->child );
    return SUCCEEDED(hr) ? S_OK : hr;
}

static HRESULT WINAPI contents_SortTable( IMAPITable *iface, SSortOrderSet *sort, ULONG flags )
{
    struct contents *table = impl_from_IMAPITable( iface );
    SSortOrderSet *copy = NULL, *old;
    IMAPITable *snapshot;
    BOOL plain;
    HRESULT hr;
    ULONG i;

    TRACE( "%p, %p, %#lx.\n", iface, sort, flags );

    plain = sort && !IsBadReadPtr( sort, CbSSortOrderSet(sort) ) && !(flags & ~(TBL_ASYNC | TBL_BATCH))
            && !sort->cCategories && !sort->cExpanded;
    for (i = 0; plain && i < sort->cSorts; i++)
        if (sort->aSort[i].ulOrder != TABLE_SORT_ASCEND && sort->aSort[i].ulOrder != TABLE_SORT_DESCEND)
            plain = FALSE;
    if (plain && !(copy = malloc( CbSSortOrderSet(sort) ))) plain = FALSE;
    if (FAILED(hr = contents_enter( table, !plain, &snapshot )))
    {
        free( copy );
        return hr;
    }
    if (hr == S_FALSE)
    {
        free( copy );
        hr = IMAPITable_SortTable( snapshot, sort, flags );
        IMAPITable_Release( snapshot );
        return hr;
    }
    memcpy( copy, sort, CbSSortOrderSet(sort) );
    old = table->sort;
    table->sort = copy;
    if (FAILED(hr = contents_rebuild( table )))
    {
        table->sort = old;
        free( copy );
    }
    else free( old );
    store_child_leave( &table->child );
    return hr;
}

static HRESULT WINAPI contents_QuerySortOrder( IMAPITable *iface, SSortOrderSet **sort )
{
    struct contents *table = impl_from_IMAPITable( iface );
    struct store_logon *logon = table->child.logon;
    IMAPITable *snapshot;
    ULONG size;
    HRESULT hr;

    TRACE( "%p, %p.\n", iface, sort );

    if (FAILED(hr = contents_enter( table, !sort, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_QuerySortOrder( snapshot, sort );
        IMAPITable_Release( snapshot );
        return hr;
    }
    size = table->sort ? CbSSortOrderSet(table->sort) : CbNewSSortOrderSet(0);
    if (SUCCEEDED(hr = logon->alloc.allocate_buffer( size, (void **)sort )))
    {
        if (table->sort) memcpy( *sort, table->sort, size );
        else memset( *sort, 0, size );
    }
    store_child_leave( &table->child );
    return hr;
}

/* One row in the client's columns, in one buffer, as winemapix projects it. */
static HRESULT contents_project( struct contents *table, ULONG row, const struct row_plan *plan,
                                 struct arena *arena, SPropValue *props, SPropValue **out, ULONG *out_count )
{
    struct store_logon *logon = table->child.logon;
    const SPropTagArray *columns = table->columns;
    SPropValue *tmp, *block;
    const SPropValue *p;
    ULONG i, count;
    HRESULT hr;

    if (FAILED(hr = arena_more( max( columns->cValues, 1 ) * sizeof(*tmp), arena, (void **)&tmp ))) return hr;
    if (FAILED(hr = contents_row( table, row, plan, arena, props, &count ))) return hr;
    for (i = 0; i < columns->cValues; i++)
    {
        ULONG tag = columns->aulPropTag[i];

        if (tag == PR_NULL)
        {
            memset( &tmp[i], 0, sizeof(tmp[i]) );
            tmp[i].ulPropTag = PR_NULL;
        }
        else if ((p = row_find( props, count, tag ))) tmp[i] = *p;
        else
        {
            tmp[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
            tmp[i].dwAlignPad = 0;
            tmp[i].Value.err = MAPI_E_NOT_FOUND;
        }
    }
    if (FAILED(hr = logon->alloc.allocate_buffer( max( props_block_size( tmp, columns->cValues ), 1 ),
                                                  (void **)&block ))) return hr;
    props_block_copy( block, tmp, columns->cValues );
    *out = block;
    *out_count = columns->cValues;
    return S_OK;
}

static HRESULT WINAPI contents_QueryRows( IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows )
{
    struct contents *table = impl_from_IMAPITable( iface );
    struct store_logon *logon = table->child.logon;
    SPropValue *props = NULL;
    struct row_plan plan = { 0 };
    struct arena arena = { 0 };
    IMAPITable *snapshot;
    ULONG start, n, i, id_count = 0, *ids = NULL;
    SRowSet *set;
    HRESULT hr;

    TRACE( "%p, %ld, %#lx, %p.\n", iface, count, flags, rows );

    if (FAILED(hr = contents_enter_columns( table, !rows || !count || (flags & ~TBL_NOADVANCE), TRUE,
                                            &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_QueryRows( snapshot, count, flags, rows );
        IMAPITable_Release( snapshot );
        return hr;
    }

    start = min( table->cursor, table->row_count );
    if (count > 0) n = min( (ULONG)count, table->row_count - start );
    else
    {
        n = min( (ULONG)-(LONGLONG)count, start );
        start -= n;
    }
    if (!(ids = malloc( max( table->columns->cValues, 1 ) * sizeof(*ids) ))
            || !(props = malloc( (COMPUTED_COLUMNS + 2 * table->tag_count) * sizeof(*props) )))
    {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    for (i = 0; i < table->columns->cValues; i++) ids[id_count++] = table->columns->aulPropTag[i];
    if (FAILED(hr = row_plan_init( table, ids, id_count, &plan ))) goto done;
    if (FAILED(hr = logon->alloc.allocate_buffer( CbNewSRowSet(n), (void **)&set ))) goto done;
    set->cRows = 0;
    for (i = 0; i < n; i++)
    {
        set->aRow[i].ulAdrEntryPad = 0;
        /* the scratch values of a batch of rows go at once */
        if (!(i % 64)) arena_free( &arena );
        if (FAILED(hr = contents_project( table, table->rows[start + i], &plan, &arena, props,
                                          &set->aRow[i].lpProps, &set->aRow[i].cValues ))) break;
        set->cRows++;
    }
    if (FAILED(hr))
    {
        for (i = 0; i < set->cRows; i++) logon->alloc.free_buffer( set->aRow[i].lpProps );
        logon->alloc.free_buffer( set );
        goto done;
    }
    /* backwards reads leave the cursor on the first row returned */
    if (count < 0) table->cursor = start;
    else if (!(flags & TBL_NOADVANCE)) table->cursor = start + n;
    *rows = set;

done:
    arena_free( &arena );
    row_plan_free( &plan );
    free( props );
    free( ids );
    store_child_leave( &table->child );
    return hr;
}

static HRESULT WINAPI contents_Abort( IMAPITable *iface )
{
    struct contents *table = impl_from_IMAPITable( iface );
    IMAPITable *snapshot;
    HRESULT hr;

    TRACE( "%p.\n", iface );

    if (FAILED(hr = contents_enter( table, FALSE, &snapshot ))) return hr;
    if (hr == S_FALSE)
    {
        hr = IMAPITable_Abort( snapshot );
        IMAPITable_Release( snapshot );
        return hr;
    }
    /* nothing runs asynchronously */
    store_child_leave( &table->child );
    return S_OK;
}

static const IMAPITableVtbl contents_vtbl =
{
    contents_QueryInterface,
    contents_AddRef,
    contents_Release,
    contents_GetLastError,
    table_forward_Advise,    /* notifications come from the snapshot's row-by-row catch-up */
    table_forward_Unadvise,
    contents_GetStatus,
    contents_SetColumns,
    contents_QueryColumns,
    contents_GetRowCount,
    contents_SeekRow,
    contents_SeekRowApprox,
    contents_QueryPosition,
    table_forward_FindRow,
    contents_Restrict,
    table_forward_CreateBookmark,
    table_forward_FreeBookmark,
    contents_SortTable,
    contents_QuerySortOrder,
    contents_QueryRows,
    contents_Abort,
    table_forward_ExpandRow,
    table_forward_CollapseRow,
    table_forward_WaitForCompletion,
    table_forward_GetCollapseState,
    table_forward_SetCollapseState,
};

HRESULT contents_table_create( struct store_logon *logon, uint32_t folder_nid, ULONG flags,
                               const ENTRYID *store_entryid, ULONG store_entryid_size, IMAPITable **out )
{
    struct pst_column col;
    struct contents *table;
    struct pst_table *tc;
    uint32_t tc_nid;
    ULONG i, count;
    int err;

    /* search folders and folders without a TC: the snapshot, cheap there */
    if (PST_NID_TYPE(folder_nid) != PST_NID_TYPE_NORMAL_FOLDER) return S_FALSE;
    tc_nid = PST_NID_MAKE(PST_NID_INDEX(folder_nid), (flags & MAPI_ASSOCIATED) ? PST_NID_TYPE_ASSOC_CONTENTS_TABLE
                                                                               : PST_NID_TYPE_CONTENTS_TABLE);
    if ((err = pst_table_open( logon->file, tc_nid, &tc ))) return S_FALSE;
    if (!(table = calloc( 1, sizeof(*table) )))
    {
        pst_table_close( tc );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    count = pst_table_column_count( tc );
    if (!(table->tags = malloc( max( count, 1 ) * sizeof(*table->tags) )))
        goto oom;
    for (i = 0; i < count; i++)
    {
        if (pst_table_column( tc, i, &col ) || IS_LTP_COLUMN(col.tag) || PROP_TYPE(col.tag) == PT_OBJECT) continue;
        table->tags[table->tag_count++] = col.tag;
    }
    if (store_entryid)
    {
        if (!(table->store_entryid = malloc( store_entryid_size ))) goto oom;
        memcpy( table->store_entryid, store_entryid, store_entryid_size );
        table->store_entryid_size = store_entryid_size;
    }
    table->total = pst_table_row_count( tc );
    table->forward.IMAPITable_iface.lpVtbl = &contents_vtbl;
    table->forward.target = contents_target;
    table->refcount = 1;
    table->folder_nid = folder_nid;
    table->flags = flags;
    table->unicode = !!(flags & MAPI_UNICODE);
    table->associated = !!(flags & MAPI_ASSOCIATED);
    table->generation = logon->generation;
    table->tc = tc;
    pst_entryid_format( logon->uid, folder_nid, table->parent_entryid );
    store_child_init( &table->child, logon, contents_invalidate );
    if (FAILED(contents_rebuild( table )))
    {
        IMAPITable_Release( &table->forward.IMAPITable_iface );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = &table->forward.IMAPITable_iface;
    return S_OK;

oom:
    pst_table_close( tc );
    free( table->tags );
    free( table->store_entryid );
    free( table );
    return MAPI_E_NOT_ENOUGH_MEMORY;
}
