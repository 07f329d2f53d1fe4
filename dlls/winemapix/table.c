/*
 * ITableData and the IMAPITable views over it
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
 * Design: the table data object owns every row as one malloc'd block of
 * property values, kept in insertion order (what HrEnumRow numbers).  Each
 * view keeps its own array of row pointers in view order (restricted, then
 * stably sorted) and a cursor.  One critical section per table data object
 * guards the rows, every view and every view's sinks; views take it too.
 * Rows are found by index value through a hash.  Restrict and SortTable
 * rebuild a view in O(n log n); a single row change finds and places the
 * row in each view by binary search (view order is total: ties go by
 * insertion order), and bulk changes rebuild each view once.  Sinks are
 * called with the lock held, which is recursive, so they may call back.
 */

#include <stdlib.h>
#include <string.h>

#include "winemapix_private.h"
#include "mapiguid.h"

#include "wine/debug.h"
#include "wine/list.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* past this many rows, HrModifyRows/HrDeleteRows send one TABLE_CHANGED */
#define MAX_ROW_NOTIFICATIONS 8

struct table_row
{
    SPropValue *props;  /* one malloc'd block, see props_block_copy() */
    ULONG count;
    ULONG order;        /* increases with insertion order; gaps are fine */
    ULONG hash;         /* hash of the index column value */
    struct table_row *next_hash;
};

struct table_data
{
    ITableData ITableData_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    ALLOCATEBUFFER *alloc;
    ALLOCATEMORE *more;
    FREEBUFFER *free_buf;
    ULONG type;
    ULONG index_tag;
    SPropTagArray *columns;     /* default column set, then every new column seen */
    ULONG columns_capacity;
    ULONG default_columns;      /* how many of columns form the default set */
    struct table_row **rows;    /* insertion order, so sorted by order */
    ULONG row_count, row_capacity;
    ULONG next_order;
    struct table_row **buckets; /* hash of the index column, chained by next_hash */
    ULONG bucket_count;
    struct list views;
};

struct table_sink
{
    struct list entry;
    ULONG connection;
    ULONG mask;
    IMAPIAdviseSink *sink;
};

struct bookmark
{
    BOOL used;
    struct table_row *row;      /* row it was on, NULL past the end */
    ULONG position;
};

struct table_view
{
    IMAPITable IMAPITable_iface;
    LONG refcount;
    struct table_data *data;
    struct list entry;
    CALLERRELEASE *release;
    ULONG release_data;
    SPropTagArray *columns;
    SRestriction *restriction;  /* restriction_copy()'s */
    SSortOrderSet *sort;
    struct table_row **rows;
    ULONG row_count, row_capacity;
    ULONG cursor;
    struct bookmark *bookmarks;
    ULONG bookmark_count;
    struct list sinks;
    ULONG next_connection;
    BOOL had_row;               /* scratch for data_modify_row */
    struct liveness *owner;     /* see table_data_get_view */
};

static inline struct table_data *impl_from_ITableData(ITableData *iface)
{
    return CONTAINING_RECORD(iface, struct table_data, ITableData_iface);
}

static inline struct table_view *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct table_view, IMAPITable_iface);
}

static BOOL grow_array(void **array, ULONG *capacity, ULONG needed, size_t size)
{
    ULONG new_capacity;
    void *new_array;

    if (needed <= *capacity) return TRUE;
    new_capacity = max(needed, max(*capacity * 2, 16));
    if (!(new_array = realloc(*array, new_capacity * size))) return FALSE;
    *array = new_array;
    *capacity = new_capacity;
    return TRUE;
}

static SPropValue *row_find(const struct table_row *row, ULONG tag)
{
    ULONG i;

    for (i = 0; i < row->count; i++)
    {
        if (PROP_ID(row->props[i].ulPropTag) != PROP_ID(tag)) continue;
        if (PROP_TYPE(tag) == PT_UNSPECIFIED || row->props[i].ulPropTag == tag) return &row->props[i];
    }
    return NULL;
}

static const SPropValue *find_in_props(const SPropValue *props, ULONG count, ULONG tag)
{
    ULONG i;

    for (i = 0; i < count; i++)
        if (props[i].ulPropTag == tag) return &props[i];
    return NULL;
}

static BOOL keys_equal(const SPropValue *a, const SPropValue *b)
{
    return a->ulPropTag == b->ulPropTag && !propval_compare(a, b);
}

/* FNV-1a over the bytes that make up a key value */
static ULONG hash_bytes(ULONG hash, const void *data, SIZE_T size)
{
    const BYTE *p = data;

    while (size--) hash = (hash ^ *p++) * 16777619;
    return hash;
}

static ULONG key_hash(const SPropValue *key)
{
    ULONG hash = hash_bytes(2166136261u, &key->ulPropTag, sizeof(key->ulPropTag));

    switch (PROP_TYPE(key->ulPropTag))
    {
    case PT_I2: return hash_bytes(hash, &key->Value.i, sizeof(key->Value.i));
    case PT_LONG: case PT_ERROR: return hash_bytes(hash, &key->Value.l, sizeof(key->Value.l));
    case PT_BOOLEAN: return hash_bytes(hash, &key->Value.b, sizeof(key->Value.b));
    case PT_STRING8: return key->Value.lpszA ? hash_bytes(hash, key->Value.lpszA, strlen(key->Value.lpszA)) : hash;
    case PT_UNICODE:
        return key->Value.lpszW ? hash_bytes(hash, key->Value.lpszW, lstrlenW(key->Value.lpszW) * sizeof(WCHAR)) : hash;
    case PT_BINARY: return hash_bytes(hash, key->Value.bin.lpb, key->Value.bin.cb);
    case PT_CLSID: return key->Value.lpguid ? hash_bytes(hash, key->Value.lpguid, sizeof(GUID)) : hash;
    case PT_I8: case PT_CURRENCY: case PT_SYSTIME: case PT_DOUBLE: case PT_APPTIME:
        return hash_bytes(hash, &key->Value.li, sizeof(key->Value.li));
    default:
        /* other types only ever compare equal through propval_compare */
        return hash;
    }
}

static BOOL data_grow_buckets(struct table_data *data)
{
    ULONG count = max(data->bucket_count * 2, 64), i;
    struct table_row **buckets, *row, *next;

    if (!(buckets = calloc(count, sizeof(*buckets)))) return FALSE;
    for (i = 0; i < data->bucket_count; i++)
        for (row = data->buckets[i]; row; row = next)
        {
            next = row->next_hash;
            row->next_hash = buckets[row->hash & (count - 1)];
            buckets[row->hash & (count - 1)] = row;
        }
    free(data->buckets);
    data->buckets = buckets;
    data->bucket_count = count;
    return TRUE;
}

static void data_hash_add(struct table_data *data, struct table_row *row)
{
    struct table_row **head = &data->buckets[row->hash & (data->bucket_count - 1)];

    row->next_hash = *head;
    *head = row;
}

static void data_hash_remove(struct table_data *data, struct table_row *row)
{
    struct table_row **p = &data->buckets[row->hash & (data->bucket_count - 1)];

    for (; *p; p = &(*p)->next_hash)
        if (*p == row)
        {
            *p = row->next_hash;
            return;
        }
}

/* Lookup by index column value through the hash: O(1) on average. */
static struct table_row *data_lookup(struct table_data *data, const SPropValue *key)
{
    ULONG hash = key_hash(key);
    struct table_row *row;
    SPropValue *p;

    if (!data->bucket_count) return NULL;
    for (row = data->buckets[hash & (data->bucket_count - 1)]; row; row = row->next_hash)
        if (row->hash == hash && (p = row_find(row, data->index_tag)) && keys_equal(p, key)) return row;
    return NULL;
}

/* Position of a row in insertion order: the array is sorted by order. */
static LONG data_row_index(struct table_data *data, const struct table_row *row)
{
    ULONG lo = 0, hi = data->row_count, mid;

    while (lo < hi)
    {
        mid = lo + (hi - lo) / 2;
        if (data->rows[mid]->order < row->order) lo = mid + 1;
        else hi = mid;
    }
    return (lo < data->row_count && data->rows[lo] == row) ? (LONG)lo : -1;
}

static struct table_row *row_create(const SPropValue *props, ULONG count)
{
    struct table_row *row;

    if (!(row = malloc(sizeof(*row)))) return NULL;
    if (!(row->props = malloc(props_block_size(props, count))))
    {
        free(row);
        return NULL;
    }
    props_block_copy(row->props, props, count);
    row->count = count;
    row->order = 0;
    return row;
}

static void row_destroy(struct table_row *row)
{
    free(row->props);
    free(row);
}

/* Adds tags the table has not seen yet to the list QueryColumns(TBL_ALL_COLUMNS) reports. */
static void data_note_columns(struct table_data *data, const SPropValue *props, ULONG count)
{
    ULONG i, j;

    for (i = 0; i < count; i++)
    {
        for (j = 0; j < data->columns->cValues; j++)
            if (data->columns->aulPropTag[j] == props[i].ulPropTag) break;
        if (j < data->columns->cValues) continue;
        if (data->columns->cValues >= data->columns_capacity)
        {
            ULONG cap = data->columns_capacity * 2 + 8;
            SPropTagArray *cols = realloc(data->columns, CbNewSPropTagArray(cap));
            if (!cols) return;
            data->columns = cols;
            data->columns_capacity = cap;
        }
        data->columns->aulPropTag[data->columns->cValues++] = props[i].ulPropTag;
    }
}

/* Copies a row's values in column order into one caller-freeable buffer. */
static HRESULT project_row(struct table_data *data, const SPropTagArray *columns, const struct table_row *row,
                           SPropValue **out, ULONG *count)
{
    SPropValue *tmp, *block;
    const SPropValue *p;
    ULONG i, size;
    SCODE sc;

    if (!(tmp = calloc(max(columns->cValues, 1), sizeof(*tmp)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < columns->cValues; i++)
    {
        ULONG tag = columns->aulPropTag[i];

        if (tag == PR_NULL)
        {
            tmp[i].ulPropTag = PR_NULL;
            continue;
        }
        if ((p = row_find(row, tag)) && PROP_TYPE(p->ulPropTag) != PT_ERROR)
            tmp[i] = *p;
        else if (p)
            tmp[i] = *p;
        else
        {
            tmp[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
            tmp[i].Value.err = MAPI_E_NOT_FOUND;
        }
    }
    size = props_block_size(tmp, columns->cValues);
    if ((sc = data->alloc(max(size, 1), (void **)&block)) != S_OK)
    {
        free(tmp);
        return sc;
    }
    props_block_copy(block, tmp, columns->cValues);
    free(tmp);
    *out = block;
    *count = columns->cValues;
    return S_OK;
}

static HRESULT copy_row_out(struct table_data *data, const struct table_row *row, SRow **out)
{
    ULONG size = props_block_size(row->props, row->count);
    SRow *ret;
    SCODE sc;

    if ((sc = data->alloc(sizeof(SRow), (void **)&ret)) != S_OK) return sc;
    if ((sc = data->more(max(size, 1), ret, (void **)&ret->lpProps)) != S_OK)
    {
        data->free_buf(ret);
        return sc;
    }
    props_block_copy(ret->lpProps, row->props, row->count);
    ret->cValues = row->count;
    ret->ulAdrEntryPad = 0;
    *out = ret;
    return S_OK;
}

/* view ordering */

static int view_compare_rows(const struct table_view *view, const struct table_row *a, const struct table_row *b)
{
    ULONG i;
    int ret;

    if (view->sort)
    {
        for (i = 0; i < view->sort->cSorts; i++)
        {
            const SSortOrder *key = &view->sort->aSort[i];
            const SPropValue *pa = row_find(a, key->ulPropTag), *pb = row_find(b, key->ulPropTag);

            /* rows lacking the column sort before rows that have it */
            if (!pa || !pb) ret = (pa ? 1 : 0) - (pb ? 1 : 0);
            else if (PROP_TYPE(pa->ulPropTag) != PROP_TYPE(pb->ulPropTag))
                ret = PROP_TYPE(pa->ulPropTag) < PROP_TYPE(pb->ulPropTag) ? -1 : 1;
            else ret = propval_compare(pa, pb);
            if (key->ulOrder == TABLE_SORT_DESCEND) ret = -ret;
            if (ret) return ret;
        }
    }
    return a->order < b->order ? -1 : (a->order > b->order ? 1 : 0);
}

static void merge_sort(const struct table_view *view, struct table_row **rows, struct table_row **tmp, ULONG count)
{
    ULONG mid = count / 2, i = 0, j = mid, k = 0;

    if (count < 2) return;
    merge_sort(view, rows, tmp, mid);
    merge_sort(view, rows + mid, tmp, count - mid);
    while (i < mid && j < count)
    {
        if (view_compare_rows(view, rows[j], rows[i]) < 0) tmp[k++] = rows[j++];
        else tmp[k++] = rows[i++];
    }
    while (i < mid) tmp[k++] = rows[i++];
    while (j < count) tmp[k++] = rows[j++];
    memcpy(rows, tmp, count * sizeof(*rows));
}

static BOOL view_row_visible(const struct table_view *view, const struct table_row *row)
{
    return !view->restriction || restriction_match(view->restriction, row->props, row->count);
}

/* Refills the view from the table: O(n) filter plus O(n log n) sort. */
static HRESULT view_rebuild(struct table_view *view)
{
    struct table_data *data = view->data;
    struct table_row **tmp;
    ULONG i;

    if (!grow_array((void **)&view->rows, &view->row_capacity, data->row_count, sizeof(*view->rows)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    view->row_count = 0;
    for (i = 0; i < data->row_count; i++)
        if (view_row_visible(view, data->rows[i])) view->rows[view->row_count++] = data->rows[i];
    if (view->sort && view->sort->cSorts && view->row_count > 1)
    {
        if (!(tmp = malloc(view->row_count * sizeof(*tmp)))) return MAPI_E_NOT_ENOUGH_MEMORY;
        merge_sort(view, view->rows, tmp, view->row_count);
        free(tmp);
    }
    view->cursor = 0;
    return S_OK;
}

static LONG view_find_row(const struct table_view *view, const struct table_row *row)
{
    ULONG i;

    for (i = 0; i < view->row_count; i++)
        if (view->rows[i] == row) return i;
    return -1;
}

static BOOL view_sorted(const struct table_view *view)
{
    return view->sort && view->sort->cSorts;
}

/* Binary search for a row the view holds: the view order is total (ties
 * go by insertion order), so the row's current values find it. */
static LONG view_locate(const struct table_view *view, const struct table_row *row)
{
    ULONG lo = 0, hi = view->row_count, mid;
    int cmp;

    while (lo < hi)
    {
        mid = lo + (hi - lo) / 2;
        if (view->rows[mid] == row) return mid;
        if (view_sorted(view)) cmp = view_compare_rows(view, row, view->rows[mid]);
        else cmp = row->order < view->rows[mid]->order ? -1 : 1;
        if (cmp < 0) hi = mid;
        else lo = mid + 1;
    }
    return -1;
}

static void view_remove_at(struct table_view *view, ULONG pos)
{
    memmove(&view->rows[pos], &view->rows[pos + 1], (view->row_count - pos - 1) * sizeof(*view->rows));
    view->row_count--;
    if (view->cursor > pos) view->cursor--;
}

/* Where a row goes in the view: after equal keys in a sorted view, at the
 * end otherwise, or at the insertion-order place for HrInsertRow. */
static ULONG view_insert_position(struct table_view *view, struct table_row *row)
{
    ULONG lo = 0, hi = view->row_count, mid;
    int cmp;

    while (lo < hi)
    {
        mid = lo + (hi - lo) / 2;
        if (view_sorted(view)) cmp = view_compare_rows(view, row, view->rows[mid]);
        else cmp = row->order < view->rows[mid]->order ? -1 : 1;
        if (cmp < 0) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

static BOOL view_insert(struct table_view *view, struct table_row *row, ULONG *pos)
{
    ULONG at;

    if (!grow_array((void **)&view->rows, &view->row_capacity, view->row_count + 1, sizeof(*view->rows)))
        return FALSE;
    at = view_insert_position(view, row);
    memmove(&view->rows[at + 1], &view->rows[at], (view->row_count - at) * sizeof(*view->rows));
    view->rows[at] = row;
    view->row_count++;
    if (view->cursor > at) view->cursor++;
    *pos = at;
    return TRUE;
}

/* notifications */

static void view_send(struct table_view *view, NOTIFICATION *notif)
{
    struct table_sink *sink;

    /* a dead view calls nobody; its sinks go at its last Release */
    if (liveness_dead(view->owner)) return;
    LIST_FOR_EACH_ENTRY(sink, &view->sinks, struct table_sink, entry)
        if (sink->mask & fnevTableModified) IMAPIAdviseSink_OnNotify(sink->sink, 1, notif);
}

static void view_notify_simple(struct table_view *view, ULONG event)
{
    NOTIFICATION notif;

    if (list_empty(&view->sinks)) return;
    memset(&notif, 0, sizeof(notif));
    notif.ulEventType = fnevTableModified;
    notif.info.tab.ulTableEvent = event;
    notif.info.tab.propIndex.ulPropTag = PR_NULL;
    notif.info.tab.propPrior.ulPropTag = PR_NULL;
    view_send(view, &notif);
}

static void view_notify_row(struct table_view *view, ULONG event, const struct table_row *row, LONG pos)
{
    struct table_data *data = view->data;
    const SPropValue *key;
    NOTIFICATION notif;
    SPropValue *props = NULL;
    ULONG count = 0;

    if (list_empty(&view->sinks)) return;
    memset(&notif, 0, sizeof(notif));
    notif.ulEventType = fnevTableModified;
    notif.info.tab.ulTableEvent = event;
    if ((key = row_find(row, data->index_tag))) notif.info.tab.propIndex = *key;
    else notif.info.tab.propIndex.ulPropTag = PR_NULL;
    notif.info.tab.propPrior.ulPropTag = PR_NULL;
    if (event != TABLE_ROW_DELETED)
    {
        if (pos > 0 && (key = row_find(view->rows[pos - 1], data->index_tag)))
            notif.info.tab.propPrior = *key;
        if (FAILED(project_row(data, view->columns, row, &props, &count))) return;
        notif.info.tab.row.cValues = count;
        notif.info.tab.row.lpProps = props;
    }
    view_send(view, &notif);
    if (props) data->free_buf(props);
}

/* Views are updated row by row (update_views) for single changes; bulk
 * changes skip that and rebuild every view once afterwards. */

static void data_forget_bookmarks(struct table_data *data, const struct table_row *row)
{
    struct table_view *view;
    ULONG i;

    LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
        for (i = 0; i < view->bookmark_count; i++)
            if (view->bookmarks[i].used && view->bookmarks[i].row == row)
                view->bookmarks[i].row = (void *)~(ULONG_PTR)0;
}

/* Takes a row out of every view, remembering which views had it. */
static void data_detach_row(struct table_data *data, struct table_row *row)
{
    struct table_view *view;
    LONG pos;

    LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
    {
        view->had_row = (pos = view_locate(view, row)) >= 0;
        if (view->had_row) view_remove_at(view, pos);
    }
}

/* Puts a new or changed row back into the views that should show it. */
static void data_attach_row(struct table_data *data, struct table_row *row, BOOL notify)
{
    struct table_view *view;
    ULONG pos;

    LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
    {
        if (view_row_visible(view, row))
        {
            if (!view_insert(view, row, &pos)) continue;
            if (notify) view_notify_row(view, view->had_row ? TABLE_ROW_MODIFIED : TABLE_ROW_ADDED, row, pos);
        }
        else if (view->had_row && notify)
            view_notify_row(view, TABLE_ROW_DELETED, row, -1);
    }
}

static void data_views_changed(struct table_data *data)
{
    struct table_view *view;
    ULONG cursor;

    LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
    {
        cursor = view->cursor;
        view_rebuild(view);
        view->cursor = min(cursor, view->row_count);
        view_notify_simple(view, TABLE_CHANGED);
    }
}

/* Replaces or adds one row; the caller holds the lock.  insert_at is the
 * HrInsertRow position, or -1 to replace or append. */
static HRESULT data_modify_row(struct table_data *data, const SRow *src, LONG insert_at, BOOL update_views)
{
    const SPropValue *key;
    struct table_row *row, *old;
    struct table_view *view;
    ULONG i;

    if (!(key = find_in_props(src->lpProps, src->cValues, data->index_tag))) return MAPI_E_INVALID_PARAMETER;

    if ((old = data_lookup(data, key)))
    {
        SPropValue *props;

        if (insert_at >= 0) return MAPI_E_INVALID_PARAMETER;
        if (!(props = malloc(props_block_size(src->lpProps, src->cValues)))) return MAPI_E_NOT_ENOUGH_MEMORY;
        props_block_copy(props, src->lpProps, src->cValues);
        data_note_columns(data, src->lpProps, src->cValues);
        /* the views find the row by its old values, so take it out first;
         * the row keeps its identity, so bookmarks stay on it */
        if (update_views) data_detach_row(data, old);
        free(old->props);
        old->props = props;
        old->count = src->cValues;
        if (update_views) data_attach_row(data, old, TRUE);
        return S_OK;
    }

    if (!grow_array((void **)&data->rows, &data->row_capacity, data->row_count + 1, sizeof(*data->rows)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (data->row_count + 1 > data->bucket_count * 2 && !data_grow_buckets(data)) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(row = row_create(src->lpProps, src->cValues))) return MAPI_E_NOT_ENOUGH_MEMORY;
    data_note_columns(data, src->lpProps, src->cValues);
    row->hash = key_hash(key);

    if (insert_at < 0 || insert_at >= data->row_count)
    {
        row->order = data->next_order++;
        data->rows[data->row_count] = row;
    }
    else
    {
        /* inserting in the middle renumbers; relative order is unchanged */
        memmove(&data->rows[insert_at + 1], &data->rows[insert_at], (data->row_count - insert_at) * sizeof(*data->rows));
        data->rows[insert_at] = row;
        for (i = 0; i <= data->row_count; i++) data->rows[i]->order = i;
        data->next_order = data->row_count + 1;
    }
    data->row_count++;
    data_hash_add(data, row);
    if (update_views)
    {
        LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry) view->had_row = FALSE;
        data_attach_row(data, row, TRUE);
    }
    return S_OK;
}

static HRESULT data_delete_row(struct table_data *data, const SPropValue *key, BOOL update_views)
{
    struct table_view *view;
    struct table_row *row;
    LONG idx;

    if (!(row = data_lookup(data, key))) return MAPI_E_NOT_FOUND;
    if (update_views)
    {
        data_detach_row(data, row);
        LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
            if (view->had_row) view_notify_row(view, TABLE_ROW_DELETED, row, -1);
    }
    data_forget_bookmarks(data, row);
    if ((idx = data_row_index(data, row)) >= 0)
    {
        memmove(&data->rows[idx], &data->rows[idx + 1], (data->row_count - idx - 1) * sizeof(*data->rows));
        data->row_count--;
    }
    data_hash_remove(data, row);
    row_destroy(row);
    return S_OK;
}

static HRESULT view_resolve_bookmark(struct table_view *view, BOOKMARK bk, ULONG *pos)
{
    struct bookmark *bm;
    LONG found;

    switch (bk)
    {
    case BOOKMARK_BEGINNING: *pos = 0; return S_OK;
    case BOOKMARK_CURRENT: *pos = min(view->cursor, view->row_count); return S_OK;
    case BOOKMARK_END: *pos = view->row_count; return S_OK;
    }
    if (bk - 3 >= view->bookmark_count || !view->bookmarks[bk - 3].used) return MAPI_E_INVALID_BOOKMARK;
    bm = &view->bookmarks[bk - 3];
    if (!bm->row)
    {
        *pos = view->row_count;
        return S_OK;
    }
    if ((found = view_find_row(view, bm->row)) >= 0)
    {
        *pos = found;
        return S_OK;
    }
    /* the row went away: fall back to its old position */
    *pos = min(bm->position, view->row_count);
    return MAPI_W_POSITION_CHANGED;
}

/* IMAPITable */

static HRESULT WINAPI view_QueryInterface(IMAPITable *iface, REFIID riid, void **out)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), out);

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPITable))
    {
        *out = &view->IMAPITable_iface;
        IMAPITable_AddRef(iface);
        return S_OK;
    }
    WARN("Unsupported %s.\n", debugstr_guid(riid));
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI view_AddRef(IMAPITable *iface)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG refcount = InterlockedIncrement(&view->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI view_Release(IMAPITable *iface)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG refcount = InterlockedDecrement(&view->refcount);
    struct table_sink *sink, *next;
    struct table_data *data = view->data;

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        /* the callback may look at the view, so it runs before teardown */
        if (view->release) view->release(view->release_data, &data->ITableData_iface, iface);
        EnterCriticalSection(&data->cs);
        list_remove(&view->entry);
        LeaveCriticalSection(&data->cs);
        LIST_FOR_EACH_ENTRY_SAFE(sink, next, &view->sinks, struct table_sink, entry)
        {
            IMAPIAdviseSink_Release(sink->sink);
            free(sink);
        }
        restriction_free(view->restriction);
        free(view->sort);
        free(view->columns);
        free(view->rows);
        free(view->bookmarks);
        liveness_release(view->owner);
        free(view);
        ITableData_Release(&data->ITableData_iface);
    }
    return refcount;
}

static HRESULT WINAPI view_GetLastError(IMAPITable *iface, HRESULT hr, ULONG flags, MAPIERROR **error)
{
    TRACE("%p, %#lx, %#lx, %p.\n", iface, hr, flags, error);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no extended error information is kept */
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI view_Advise(IMAPITable *iface, ULONG mask, IMAPIAdviseSink *advise_sink, ULONG *connection)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct table_sink *sink;

    TRACE("%p, %#lx, %p, %p.\n", iface, mask, advise_sink, connection);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!advise_sink || !connection) return MAPI_E_INVALID_PARAMETER;
    if (!(sink = malloc(sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    sink->mask = mask;
    sink->sink = advise_sink;
    IMAPIAdviseSink_AddRef(advise_sink);
    EnterCriticalSection(&view->data->cs);
    sink->connection = ++view->next_connection;
    list_add_tail(&view->sinks, &sink->entry);
    LeaveCriticalSection(&view->data->cs);
    *connection = sink->connection;
    return S_OK;
}

static HRESULT WINAPI view_Unadvise(IMAPITable *iface, ULONG connection)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct table_sink *sink;

    TRACE("%p, %lu.\n", iface, connection);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    EnterCriticalSection(&view->data->cs);
    LIST_FOR_EACH_ENTRY(sink, &view->sinks, struct table_sink, entry)
    {
        if (sink->connection != connection) continue;
        list_remove(&sink->entry);
        LeaveCriticalSection(&view->data->cs);
        IMAPIAdviseSink_Release(sink->sink);
        free(sink);
        return S_OK;
    }
    LeaveCriticalSection(&view->data->cs);
    return MAPI_E_NOT_FOUND;
}

static HRESULT WINAPI view_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    TRACE("%p, %p, %p.\n", iface, status, type);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!status || !type) return MAPI_E_INVALID_PARAMETER;
    /* every operation completes synchronously */
    *status = TBLSTAT_COMPLETE;
    *type = view->data->type;
    return S_OK;
}

static HRESULT WINAPI view_SetColumns(IMAPITable *iface, SPropTagArray *columns, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    SPropTagArray *copy;

    TRACE("%p, %p, %#lx.\n", iface, columns, flags);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    /* a count larger than the array must not make us read past it */
    if (!columns || IsBadReadPtr(columns, CbSPropTagArray(columns))) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(copy = malloc(CbSPropTagArray(columns)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(copy, columns, CbSPropTagArray(columns));
    EnterCriticalSection(&view->data->cs);
    free(view->columns);
    view->columns = copy;
    LeaveCriticalSection(&view->data->cs);
    return S_OK;
}

static HRESULT WINAPI view_QueryColumns(IMAPITable *iface, ULONG flags, SPropTagArray **out)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    const SPropTagArray *src;
    SCODE sc;

    TRACE("%p, %#lx, %p.\n", iface, flags, out);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~TBL_ALL_COLUMNS) return MAPI_E_UNKNOWN_FLAGS;
    EnterCriticalSection(&view->data->cs);
    src = (flags & TBL_ALL_COLUMNS) ? view->data->columns : view->columns;
    if ((sc = view->data->alloc(CbSPropTagArray(src), (void **)out)) == S_OK)
        memcpy(*out, src, CbSPropTagArray(src));
    LeaveCriticalSection(&view->data->cs);
    return sc;
}

static HRESULT WINAPI view_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    TRACE("%p, %#lx, %p.\n", iface, flags, count);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!count) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    EnterCriticalSection(&view->data->cs);
    *count = view->row_count;
    LeaveCriticalSection(&view->data->cs);
    return S_OK;
}

static HRESULT WINAPI view_SeekRow(IMAPITable *iface, BOOKMARK origin, LONG rows, LONG *sought)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    LONGLONG target;
    ULONG pos;
    HRESULT hr;

    TRACE("%p, %lu, %ld, %p.\n", iface, origin, rows, sought);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    EnterCriticalSection(&view->data->cs);
    if (SUCCEEDED(hr = view_resolve_bookmark(view, origin, &pos)))
    {
        target = (LONGLONG)pos + rows;
        if (target < 0) target = 0;
        if (target > view->row_count) target = view->row_count;
        view->cursor = target;
        if (sought) *sought = (LONG)(target - pos);
    }
    LeaveCriticalSection(&view->data->cs);
    return hr;
}

static HRESULT WINAPI view_SeekRowApprox(IMAPITable *iface, ULONG numerator, ULONG denominator)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    TRACE("%p, %lu, %lu.\n", iface, numerator, denominator);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!denominator) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&view->data->cs);
    if (numerator >= denominator) view->cursor = view->row_count;
    else view->cursor = (ULONG)((ULONGLONG)view->row_count * numerator / denominator);
    LeaveCriticalSection(&view->data->cs);
    return S_OK;
}

static HRESULT WINAPI view_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    TRACE("%p, %p, %p, %p.\n", iface, row, numerator, denominator);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!row || !numerator || !denominator) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&view->data->cs);
    *row = view->cursor;
    *numerator = view->cursor;
    *denominator = max(view->row_count, 1);
    LeaveCriticalSection(&view->data->cs);
    return S_OK;
}

static HRESULT WINAPI view_FindRow(IMAPITable *iface, SRestriction *res, BOOKMARK origin, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr;
    ULONG pos, i;

    TRACE("%p, %p, %lu, %#lx.\n", iface, res, origin, flags);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!res) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~DIR_BACKWARD) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = restriction_check(res, FALSE))) return hr;

    EnterCriticalSection(&view->data->cs);
    if (SUCCEEDED(hr = view_resolve_bookmark(view, origin, &pos)))
    {
        HRESULT found = MAPI_E_NOT_FOUND;

        if (flags & DIR_BACKWARD)
        {
            /* backwards, the search starts with the row before the origin */
            for (i = pos; i > 0; i--)
                if (restriction_match(res, view->rows[i - 1]->props, view->rows[i - 1]->count))
                {
                    view->cursor = i - 1;
                    found = S_OK;
                    break;
                }
        }
        else
        {
            for (i = pos; i < view->row_count; i++)
                if (restriction_match(res, view->rows[i]->props, view->rows[i]->count))
                {
                    view->cursor = i;
                    found = S_OK;
                    break;
                }
        }
        if (FAILED(found) || hr == S_OK) hr = found;
    }
    LeaveCriticalSection(&view->data->cs);
    return hr;
}

static HRESULT WINAPI view_Restrict(IMAPITable *iface, SRestriction *res, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr;

    TRACE("%p, %p, %#lx.\n", iface, res, flags);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    if (res && FAILED(hr = restriction_check(res, FALSE))) return hr;

    EnterCriticalSection(&view->data->cs);
    restriction_free(view->restriction);
    view->restriction = NULL;
    if (res && !(view->restriction = restriction_copy(res)))
    {
        view_rebuild(view);
        LeaveCriticalSection(&view->data->cs);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    hr = view_rebuild(view);
    LeaveCriticalSection(&view->data->cs);
    return hr;
}

static HRESULT WINAPI view_CreateBookmark(IMAPITable *iface, BOOKMARK *out)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct bookmark *bm = NULL;
    ULONG i;

    TRACE("%p, %p.\n", iface, out);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!out) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&view->data->cs);
    for (i = 0; i < view->bookmark_count; i++)
        if (!view->bookmarks[i].used) break;
    if (i == view->bookmark_count)
    {
        struct bookmark *bms = realloc(view->bookmarks, (i + 1) * sizeof(*bms));
        if (!bms)
        {
            LeaveCriticalSection(&view->data->cs);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        view->bookmarks = bms;
        view->bookmark_count++;
    }
    bm = &view->bookmarks[i];
    bm->used = TRUE;
    bm->position = view->cursor;
    bm->row = view->cursor < view->row_count ? view->rows[view->cursor] : NULL;
    *out = i + 3;
    LeaveCriticalSection(&view->data->cs);
    return S_OK;
}

static HRESULT WINAPI view_FreeBookmark(IMAPITable *iface, BOOKMARK bk)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr = S_OK;

    TRACE("%p, %lu.\n", iface, bk);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    /* the three predefined bookmarks need no freeing */
    if (bk <= BOOKMARK_END) return S_OK;
    EnterCriticalSection(&view->data->cs);
    if (bk - 3 >= view->bookmark_count || !view->bookmarks[bk - 3].used) hr = MAPI_E_INVALID_BOOKMARK;
    else view->bookmarks[bk - 3].used = FALSE;
    LeaveCriticalSection(&view->data->cs);
    return hr;
}

static HRESULT WINAPI view_SortTable(IMAPITable *iface, SSortOrderSet *sort, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    SSortOrderSet *copy;
    HRESULT hr;
    ULONG i;

    TRACE("%p, %p, %#lx.\n", iface, sort, flags);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!sort || IsBadReadPtr(sort, CbSSortOrderSet(sort))) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    if (sort->cCategories > sort->cSorts || sort->cExpanded > sort->cCategories) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < sort->cSorts; i++)
        if (sort->aSort[i].ulOrder != TABLE_SORT_ASCEND && sort->aSort[i].ulOrder != TABLE_SORT_DESCEND)
            return sort->aSort[i].ulOrder == TABLE_SORT_COMBINE ? MAPI_E_TOO_COMPLEX : MAPI_E_INVALID_PARAMETER;
    /* plain table data cannot be categorized */
    if (sort->cCategories) return MAPI_E_TOO_COMPLEX;
    if (!(copy = malloc(CbSSortOrderSet(sort)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(copy, sort, CbSSortOrderSet(sort));

    EnterCriticalSection(&view->data->cs);
    free(view->sort);
    view->sort = copy;
    hr = view_rebuild(view);
    LeaveCriticalSection(&view->data->cs);
    return hr;
}

static HRESULT WINAPI view_QuerySortOrder(IMAPITable *iface, SSortOrderSet **out)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    SSortOrderSet *ret;
    ULONG size;
    SCODE sc;

    TRACE("%p, %p.\n", iface, out);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!out) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&view->data->cs);
    size = view->sort ? CbSSortOrderSet(view->sort) : CbNewSSortOrderSet(0);
    if ((sc = view->data->alloc(size, (void **)&ret)) == S_OK)
    {
        if (view->sort) memcpy(ret, view->sort, size);
        else memset(ret, 0, size);
        *out = ret;
    }
    LeaveCriticalSection(&view->data->cs);
    return sc;
}

static HRESULT WINAPI view_QueryRows(IMAPITable *iface, LONG count, ULONG flags, SRowSet **out)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct table_data *data = view->data;
    ULONG start, n, i;
    SRowSet *set;
    HRESULT hr = S_OK;

    TRACE("%p, %ld, %#lx, %p.\n", iface, count, flags, out);

    if (liveness_dead(view->owner)) return MAPI_E_INVALID_OBJECT;
    if (!out || !count) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~TBL_NOADVANCE) return MAPI_E_UNKNOWN_FLAGS;

    EnterCriticalSection(&data->cs);
    start = min(view->cursor, view->row_count);
    if (count > 0)
        n = min((ULONG)count, view->row_count - start);
    else
    {
        n = min((ULONG)-(LONGLONG)count, start);
        start -= n;
    }
    if ((hr = data->alloc(CbNewSRowSet(n), (void **)&set)) != S_OK)
    {
        LeaveCriticalSection(&data->cs);
        return hr;
    }
    set->cRows = 0;
    for (i = 0; i < n; i++)
    {
        SRow *row = &set->aRow[i];

        row->ulAdrEntryPad = 0;
        if (FAILED(hr = project_row(data, view->columns, view->rows[start + i], &row->lpProps, &row->cValues)))
            break;
        set->cRows++;
    }
    if (FAILED(hr))
    {
        for (i = 0; i < set->cRows; i++) data->free_buf(set->aRow[i].lpProps);
        data->free_buf(set);
        LeaveCriticalSection(&data->cs);
        return hr;
    }
    /* backwards reads leave the cursor on the first row returned */
    if (count < 0) view->cursor = start;
    else if (!(flags & TBL_NOADVANCE)) view->cursor = start + n;
    LeaveCriticalSection(&data->cs);
    *out = set;
    return S_OK;
}

static HRESULT WINAPI view_Abort(IMAPITable *iface)
{
    TRACE("%p.\n", iface);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    /* nothing ever runs asynchronously */
    return S_OK;
}

static HRESULT WINAPI view_ExpandRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count,
                                     ULONG flags, SRowSet **rows, ULONG *more)
{
    TRACE("%p, %lu, %p, %lu, %#lx, %p, %p.\n", iface, key_size, key, count, flags, rows, more);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    /* table data views have no categories to expand */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI view_CollapseRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags, ULONG *count)
{
    TRACE("%p, %lu, %p, %#lx, %p.\n", iface, key_size, key, flags, count);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI view_WaitForCompletion(IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status)
{
    TRACE("%p, %#lx, %lu, %p.\n", iface, flags, timeout, status);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (status) *status = TBLSTAT_COMPLETE;
    return S_OK;
}

static HRESULT WINAPI view_GetCollapseState(IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                            ULONG *state_size, BYTE **state)
{
    TRACE("%p, %#lx, %lu, %p, %p, %p.\n", iface, flags, key_size, key, state_size, state);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI view_SetCollapseState(IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
                                            BOOKMARK *location)
{
    TRACE("%p, %#lx, %lu, %p, %p.\n", iface, flags, state_size, state, location);

    if (liveness_dead(impl_from_IMAPITable(iface)->owner)) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static const IMAPITableVtbl view_vtbl =
{
    view_QueryInterface,
    view_AddRef,
    view_Release,
    view_GetLastError,
    view_Advise,
    view_Unadvise,
    view_GetStatus,
    view_SetColumns,
    view_QueryColumns,
    view_GetRowCount,
    view_SeekRow,
    view_SeekRowApprox,
    view_QueryPosition,
    view_FindRow,
    view_Restrict,
    view_CreateBookmark,
    view_FreeBookmark,
    view_SortTable,
    view_QuerySortOrder,
    view_QueryRows,
    view_Abort,
    view_ExpandRow,
    view_CollapseRow,
    view_WaitForCompletion,
    view_GetCollapseState,
    view_SetCollapseState,
};

/* ITableData */

static HRESULT WINAPI table_data_QueryInterface(ITableData *iface, REFIID riid, void **out)
{
    struct table_data *data = impl_from_ITableData(iface);

    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), out);

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPITableData))
    {
        *out = &data->ITableData_iface;
        ITableData_AddRef(iface);
        return S_OK;
    }
    WARN("Unsupported %s.\n", debugstr_guid(riid));
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI table_data_AddRef(ITableData *iface)
{
    struct table_data *data = impl_from_ITableData(iface);
    ULONG refcount = InterlockedIncrement(&data->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);
    return refcount;
}

static ULONG WINAPI table_data_Release(ITableData *iface)
{
    struct table_data *data = impl_from_ITableData(iface);
    ULONG refcount = InterlockedDecrement(&data->refcount);
    ULONG i;

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        for (i = 0; i < data->row_count; i++) row_destroy(data->rows[i]);
        free(data->rows);
        free(data->buckets);
        free(data->columns);
        data->cs.DebugInfo->Spare[0] = 0;
        DeleteCriticalSection(&data->cs);
        free(data);
    }
    return refcount;
}

static HRESULT WINAPI table_data_HrGetView(ITableData *iface, SSortOrderSet *sort, CALLERRELEASE *release,
                                           ULONG release_data, IMAPITable **out)
{
    struct table_data *data = impl_from_ITableData(iface);
    struct table_view *view;
    HRESULT hr;

    TRACE("%p, %p, %p, %#lx, %p.\n", iface, sort, release, release_data, out);

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!(view = calloc(1, sizeof(*view)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    view->IMAPITable_iface.lpVtbl = &view_vtbl;
    view->refcount = 1;
    view->data = data;
    view->release = release;
    view->release_data = release_data;
    list_init(&view->sinks);

    EnterCriticalSection(&data->cs);
    /* a new view shows every column the table knows about */
    if (!(view->columns = malloc(CbSPropTagArray(data->columns))))
    {
        LeaveCriticalSection(&data->cs);
        free(view);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(view->columns, data->columns, CbSPropTagArray(data->columns));
    if (sort && sort->cSorts && !sort->cCategories && (view->sort = malloc(CbSSortOrderSet(sort))))
        memcpy(view->sort, sort, CbSSortOrderSet(sort));
    if (FAILED(hr = view_rebuild(view)))
    {
        LeaveCriticalSection(&data->cs);
        free(view->sort);
        free(view->columns);
        free(view);
        return hr;
    }
    list_add_tail(&data->views, &view->entry);
    ITableData_AddRef(iface);
    LeaveCriticalSection(&data->cs);

    *out = &view->IMAPITable_iface;
    return S_OK;
}

static HRESULT WINAPI table_data_HrModifyRow(ITableData *iface, SRow *row)
{
    struct table_data *data = impl_from_ITableData(iface);
    HRESULT hr;

    TRACE("%p, %p.\n", iface, row);

    if (!row || (row->cValues && !row->lpProps)) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&data->cs);
    hr = data_modify_row(data, row, -1, TRUE);
    LeaveCriticalSection(&data->cs);
    return hr;
}

static HRESULT WINAPI table_data_HrDeleteRow(ITableData *iface, SPropValue *key)
{
    struct table_data *data = impl_from_ITableData(iface);
    HRESULT hr;

    TRACE("%p, %p.\n", iface, key);

    if (!key || key->ulPropTag != data->index_tag) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&data->cs);
    hr = data_delete_row(data, key, TRUE);
    LeaveCriticalSection(&data->cs);
    return hr;
}

static HRESULT WINAPI table_data_HrQueryRow(ITableData *iface, SPropValue *key, SRow **row, ULONG *row_num)
{
    struct table_data *data = impl_from_ITableData(iface);
    struct table_row *found;
    HRESULT hr;

    TRACE("%p, %p, %p, %p.\n", iface, key, row, row_num);

    if (!key || !row || key->ulPropTag != data->index_tag) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&data->cs);
    if (!(found = data_lookup(data, key))) hr = MAPI_E_NOT_FOUND;
    else if (SUCCEEDED(hr = copy_row_out(data, found, row)) && row_num)
        *row_num = data_row_index(data, found);
    LeaveCriticalSection(&data->cs);
    return hr;
}

static HRESULT WINAPI table_data_HrEnumRow(ITableData *iface, ULONG row_num, SRow **row)
{
    struct table_data *data = impl_from_ITableData(iface);
    HRESULT hr = S_OK;

    TRACE("%p, %lu, %p.\n", iface, row_num, row);

    if (!row) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&data->cs);
    if (row_num >= data->row_count) *row = NULL;
    else hr = copy_row_out(data, data->rows[row_num], row);
    LeaveCriticalSection(&data->cs);
    return hr;
}

static HRESULT WINAPI table_data_HrNotify(ITableData *iface, ULONG flags, ULONG count, SPropValue *values)
{
    struct table_data *data = impl_from_ITableData(iface);
    const SPropValue *key;
    struct table_view *view;
    struct table_row *row;
    LONG pos;

    TRACE("%p, %#lx, %lu, %p.\n", iface, flags, count, values);

    if (!values || !(key = find_in_props(values, count, data->index_tag))) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&data->cs);
    if ((row = data_lookup(data, key)))
    {
        LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
            if ((pos = view_locate(view, row)) >= 0) view_notify_row(view, TABLE_ROW_MODIFIED, row, pos);
    }
    LeaveCriticalSection(&data->cs);
    return S_OK;
}

static HRESULT WINAPI table_data_HrInsertRow(ITableData *iface, ULONG index, SRow *row)
{
    struct table_data *data = impl_from_ITableData(iface);
    HRESULT hr;

    TRACE("%p, %lu, %p.\n", iface, index, row);

    if (!row || (row->cValues && !row->lpProps)) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&data->cs);
    if (index > data->row_count) hr = MAPI_E_INVALID_PARAMETER;
    else hr = data_modify_row(data, row, index, TRUE);
    LeaveCriticalSection(&data->cs);
    return hr;
}

static HRESULT WINAPI table_data_HrModifyRows(ITableData *iface, ULONG flags, SRowSet *rows)
{
    struct table_data *data = impl_from_ITableData(iface);
    BOOL per_row;
    HRESULT hr = S_OK;
    ULONG i;

    TRACE("%p, %#lx, %p.\n", iface, flags, rows);

    if (!rows) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    /* all or nothing: every row needs its index column */
    for (i = 0; i < rows->cRows; i++)
        if (!find_in_props(rows->aRow[i].lpProps, rows->aRow[i].cValues, data->index_tag))
            return MAPI_E_INVALID_PARAMETER;

    per_row = rows->cRows <= MAX_ROW_NOTIFICATIONS;
    EnterCriticalSection(&data->cs);
    for (i = 0; i < rows->cRows && SUCCEEDED(hr); i++)
        hr = data_modify_row(data, &rows->aRow[i], -1, per_row);
    if (!per_row) data_views_changed(data);
    LeaveCriticalSection(&data->cs);
    return hr;
}

static HRESULT WINAPI table_data_HrDeleteRows(ITableData *iface, ULONG flags, SRowSet *rows, ULONG *deleted)
{
    struct table_data *data = impl_from_ITableData(iface);
    const SPropValue *key;
    struct table_view *view;
    ULONG i, count = 0;

    TRACE("%p, %#lx, %p, %p.\n", iface, flags, rows, deleted);

    if (flags & ~TAD_ALL_ROWS) return MAPI_E_UNKNOWN_FLAGS;
    if (!(flags & TAD_ALL_ROWS) && !rows) return MAPI_E_INVALID_PARAMETER;

    EnterCriticalSection(&data->cs);
    if (flags & TAD_ALL_ROWS)
    {
        count = data->row_count;
        LIST_FOR_EACH_ENTRY(view, &data->views, struct table_view, entry)
        {
            view->row_count = 0;
            view->cursor = 0;
            for (i = 0; i < view->bookmark_count; i++)
                if (view->bookmarks[i].used) view->bookmarks[i].row = NULL;
        }
        for (i = 0; i < data->row_count; i++) row_destroy(data->rows[i]);
        data->row_count = 0;
        if (data->bucket_count) memset(data->buckets, 0, data->bucket_count * sizeof(*data->buckets));
        data_views_changed(data);
    }
    else
    {
        BOOL per_row = rows->cRows <= MAX_ROW_NOTIFICATIONS;

        for (i = 0; i < rows->cRows; i++)
        {
            if (!(key = find_in_props(rows->aRow[i].lpProps, rows->aRow[i].cValues, data->index_tag))) continue;
            if (data_delete_row(data, key, per_row) == S_OK) count++;
        }
        if (!per_row && count) data_views_changed(data);
    }
    LeaveCriticalSection(&data->cs);
    if (deleted) *deleted = count;
    return S_OK;
}

static const ITableDataVtbl table_data_vtbl =
{
    table_data_QueryInterface,
    table_data_AddRef,
    table_data_Release,
    table_data_HrGetView,
    table_data_HrModifyRow,
    table_data_HrDeleteRow,
    table_data_HrQueryRow,
    table_data_HrEnumRow,
    table_data_HrNotify,
    table_data_HrInsertRow,
    table_data_HrModifyRows,
    table_data_HrDeleteRows,
};

/* The hook MAPI's own objects use instead of wrapping the view: every
 * method but AddRef and Release answers MAPI_E_INVALID_OBJECT once owner
 * is dead, and the view stops notifying (liveness.c). */
HRESULT table_data_get_view(ITableData *iface, struct liveness *owner, IMAPITable **out)
{
    struct table_view *view;
    HRESULT hr;

    if (iface->lpVtbl != &table_data_vtbl) return MAPI_E_CALL_FAILED;
    if (FAILED(hr = table_data_HrGetView(iface, NULL, NULL, 0, out))) return hr;
    view = impl_from_IMAPITable(*out);
    liveness_addref(owner);
    view->owner = owner;
    return S_OK;
}

/*************************************************************************
 * CreateTable (winemapix.@)
 *
 * Creates a table data object whose views are IMAPITable objects.
 */
SCODE WINAPI CreateTable(LPCIID iid, ALLOCATEBUFFER *alloc, ALLOCATEMORE *more, FREEBUFFER *free_buf,
                         void *reserved, ULONG type, ULONG index_tag, SPropTagArray *columns, ITableData **out)
{
    struct table_data *data;

    TRACE("%s, %p, %p, %p, %p, %#lx, %#lx, %p, %p.\n", debugstr_guid(iid), alloc, more, free_buf, reserved,
          type, index_tag, columns, out);

    if (!out || !alloc || !more || !free_buf || !columns || reserved || (iid && !IsEqualIID(iid, &IID_IMAPITableData)))
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (type > TBLTYPE_DYNAMIC) return MAPI_E_INVALID_PARAMETER;

    if (!(data = calloc(1, sizeof(*data)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    data->columns_capacity = columns->cValues + 8;
    if (!(data->columns = malloc(CbNewSPropTagArray(data->columns_capacity))))
    {
        free(data);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(data->columns, columns, CbSPropTagArray(columns));
    data->default_columns = columns->cValues;
    data->ITableData_iface.lpVtbl = &table_data_vtbl;
    data->refcount = 1;
    data->alloc = alloc;
    data->more = more;
    data->free_buf = free_buf;
    data->type = type;
    data->index_tag = index_tag;
    list_init(&data->views);
    InitializeCriticalSection(&data->cs);
    data->cs.DebugInfo->Spare[0] = (DWORD_PTR)(__FILE__ ": table_data.cs");

    *out = &data->ITableData_iface;
    return S_OK;
}
