/*
 * winepst: folders (IMAPIFolder), their tables, and opening entries
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
 * Folders are read from the file.  On a store opened read-only every
 * method that would change something checks its arguments and answers
 * MAPI_E_NO_ACCESS; on a writable one each change is one engine
 * transaction (store_logon_transact), committed before the method returns.
 *
 * WRITING  Folders are not transacted (imapiprop-savechanges.md: "objects
 * that do not support transactions, such as folders ... make changes
 * permanent immediately"): SetProps and DeleteProps commit at once and
 * SaveChanges has nothing left to do.  Within the store, messages are
 * moved with pst_message_move and copied by reading them whole with the
 * engine (recipients, attachments, embedded messages) and saving the copy
 * with pst_message_save; folders likewise.  A destination folder of
 * another store goes to MAPI's generic IMAPISupport::CopyMessages /
 * CopyFolder (MAPI_E_DECLINE_COPY with MAPI_DECLINE_OK).  Search folders
 * cannot be created (MAPI_E_NO_SUPPORT): the engine does not maintain
 * their criteria and results.  Read receipts are not generated here
 * (SetReadFlags only changes the flags), and fnevNewMail is not raised by
 * CreateMessage: it comes from the spooler path (IMsgStore::NotifyNewMail).
 * SaveContentsSort answers MAPI_E_NO_SUPPORT.  Progress objects are not
 * called: every operation is one short transaction.
 *
 * NOTIFICATIONS  After each commit, with no lock held: the open folder
 * tables catch up first (below), then the object events go to MAPI
 * through IMAPISupport::Notify (notify.c).
 *
 * TABLES  A contents table of a normal folder starts engine-backed
 * (contents.c): it reads from the TC only what each call needs, and hands
 * itself over to a snapshot (folder_snapshot_table) for what only the
 * snapshot answers and before every write.  A hierarchy table, a search
 * folder's contents, and a contents table after its hand-over are
 * snapshots: the rows of the folder's table context (TC) plus computed
 * columns, loaded into a winemapix ITableData (TBLTYPE_SNAPSHOT, keyed by
 * PR_INSTANCE_KEY, the row's 4-byte NID) when the client asks for the
 * table (or at the hand-over).  The client gets a
 * wrapper (struct table_view) that is a store child: every call is
 * forwarded to the ITableData's view while the logon lives; when it dies,
 * the wrapper drops the view and the data at once (their memory goes) and
 * answers MAPI_E_INVALID_OBJECT from then on.  A folder table remembers
 * the commit (logon->generation) it was read at; after a later commit it
 * is read again and the differences are applied to its data row by row,
 * so that the client's view sends TABLE_ROW_ADDED / DELETED / MODIFIED to
 * its sinks (or one TABLE_CHANGED for bulk changes).  This happens right
 * after our own commits (folder_tables_refresh) and, for commits made
 * elsewhere (messages' SaveChanges), at the table's next call.
 *
 * Engine handles opened before a commit may be stale: a folder reopens its
 * PC when the generation moved on, and finds it gone once deleted
 * (MAPI_E_OBJECT_DELETED from the write methods).
 */

#include "winepst_private.h"
#include "mapiguid.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* The TC's own bookkeeping columns are not properties of the rows */
#define IS_LTP_COLUMN(tag) (PROP_ID(tag) == 0x67f2 || PROP_ID(tag) == 0x67f3)
/* Corrupt files must not make CONVENIENT_DEPTH recurse without end */
#define MAX_HIERARCHY_DEPTH 64

/* ------------------------------------------------------------------ */
/* table views                                                          */

struct table_view
{
    struct table_forward forward;
    LONG refcount;
    struct store_child child;
    ITableData *data;          /* NULL once the logon died */
    IMAPITable *view;
    /* folder tables only: what to rebuild when a commit made the rows stale */
    BOOL folder_table;
    uint32_t folder_nid;
    BOOL hierarchy;
    ULONG flags;
    ULONG generation;          /* logon->generation the rows were read at */
    ENTRYID *store_entryid;    /* malloc'd copy of the wrapped store entry ID */
    ULONG store_entryid_size;
    /* One catch-up at a time, and no call reads the rows while another
     * thread applies one: generation moves on before the rows do, and an
     * older catch-up finishing after a newer one would leave stale rows
     * marked current.  Taken before the logon lock, never while holding it. */
    CRITICAL_SECTION refresh_cs;
};

static HRESULT table_view_refresh( struct table_view *table );

static inline struct table_view *impl_from_IMAPITable( IMAPITable *iface )
{
    return CONTAINING_RECORD( iface, struct table_view, forward.IMAPITable_iface );
}

static void table_view_invalidate( struct store_child *child )
{
    struct table_view *table = CONTAINING_RECORD( child, struct table_view, child );

    /* the winemapix table calls nobody back but the client's sinks' Release */
    if (table->view) IMAPITable_Release( table->view );
    if (table->data) ITableData_Release( table->data );
    table->view = NULL;
    table->data = NULL;
}

/* The inner view with a reference of the caller's, or NULL when dead.
 * A folder table read before the last commit catches up first. */
static IMAPITable *table_view_get( struct table_view *table )
{
    IMAPITable *view;
    BOOL stale;

    EnterCriticalSection( &table->refresh_cs );
    if (!store_child_enter( &table->child ))
    {
        LeaveCriticalSection( &table->refresh_cs );
        return NULL;
    }
    stale = table->folder_table && table->generation != table->child.logon->generation;
    store_child_leave( &table->child );
    if (stale) table_view_refresh( table );
    LeaveCriticalSection( &table->refresh_cs );

    if (!store_child_enter( &table->child )) return NULL;
    view = table->view;
    IMAPITable_AddRef( view );
    store_child_leave( &table->child );
    return view;
}

static HRESULT table_view_target( struct table_forward *forward, IMAPITable **target )
{
    struct table_view *table = CONTAINING_RECORD( forward, struct table_view, forward );

    return (*target = table_view_get( table )) ? S_OK : MAPI_E_INVALID_OBJECT;
}

static HRESULT WINAPI table_view_QueryInterface( IMAPITable *iface, REFIID riid, void **out )
{
    struct table_view *table = impl_from_IMAPITable( iface );

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

static ULONG WINAPI table_view_AddRef( IMAPITable *iface )
{
    struct table_view *table = impl_from_IMAPITable( iface );
    ULONG refcount = InterlockedIncrement( &table->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI table_view_Release( IMAPITable *iface )
{
    struct table_view *table = impl_from_IMAPITable( iface );
    ULONG refcount = InterlockedDecrement( &table->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        /* releases the view and data through the invalidate callback */
        store_child_destroy( &table->child );
        table->refresh_cs.DebugInfo->Spare[0] = 0;
        DeleteCriticalSection( &table->refresh_cs );
        free( table->store_entryid );
        free( table );
    }
    return refcount;
}

/* Forwards a call to the table struct table_forward names. */
#define FORWARD(call) \
    do { \
        struct table_forward *forward = CONTAINING_RECORD( iface, struct table_forward, IMAPITable_iface ); \
        IMAPITable *view; \
        HRESULT hr; \
        if (FAILED(hr = forward->target( forward, &view ))) return hr; \
        hr = call; \
        IMAPITable_Release( view ); \
        return hr; \
    } while (0)

static HRESULT WINAPI table_forward_GetLastError( IMAPITable *iface, HRESULT result, ULONG flags,
                                                  MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );
    FORWARD( IMAPITable_GetLastError( view, result, flags, error ) );
}

HRESULT WINAPI table_forward_Advise( IMAPITable *iface, ULONG mask, IMAPIAdviseSink *sink, ULONG *connection )
{
    TRACE( "%p, %#lx, %p, %p.\n", iface, mask, sink, connection );
    FORWARD( IMAPITable_Advise( view, mask, sink, connection ) );
}

HRESULT WINAPI table_forward_Unadvise( IMAPITable *iface, ULONG connection )
{
    TRACE( "%p, %lu.\n", iface, connection );
    FORWARD( IMAPITable_Unadvise( view, connection ) );
}

static HRESULT WINAPI table_forward_GetStatus( IMAPITable *iface, ULONG *status, ULONG *type )
{
    TRACE( "%p, %p, %p.\n", iface, status, type );
    FORWARD( IMAPITable_GetStatus( view, status, type ) );
}

static HRESULT WINAPI table_forward_SetColumns( IMAPITable *iface, SPropTagArray *columns, ULONG flags )
{
    TRACE( "%p, %p, %#lx.\n", iface, columns, flags );
    FORWARD( IMAPITable_SetColumns( view, columns, flags ) );
}

static HRESULT WINAPI table_forward_QueryColumns( IMAPITable *iface, ULONG flags, SPropTagArray **columns )
{
    TRACE( "%p, %#lx, %p.\n", iface, flags, columns );
    FORWARD( IMAPITable_QueryColumns( view, flags, columns ) );
}

static HRESULT WINAPI table_forward_GetRowCount( IMAPITable *iface, ULONG flags, ULONG *count )
{
    TRACE( "%p, %#lx, %p.\n", iface, flags, count );
    FORWARD( IMAPITable_GetRowCount( view, flags, count ) );
}

static HRESULT WINAPI table_forward_SeekRow( IMAPITable *iface, BOOKMARK origin, LONG rows, LONG *sought )
{
    TRACE( "%p, %#Ix, %ld, %p.\n", iface, (ULONG_PTR)origin, rows, sought );
    FORWARD( view->lpVtbl->SeekRow( view, origin, rows, sought ) );
}

static HRESULT WINAPI table_forward_SeekRowApprox( IMAPITable *iface, ULONG numerator, ULONG denominator )
{
    TRACE( "%p, %lu, %lu.\n", iface, numerator, denominator );
    FORWARD( IMAPITable_SeekRowApprox( view, numerator, denominator ) );
}

static HRESULT WINAPI table_forward_QueryPosition( IMAPITable *iface, ULONG *row, ULONG *numerator,
                                                   ULONG *denominator )
{
    TRACE( "%p, %p, %p, %p.\n", iface, row, numerator, denominator );
    FORWARD( view->lpVtbl->QueryPosition( view, row, numerator, denominator ) );
}

HRESULT WINAPI table_forward_FindRow( IMAPITable *iface, SRestriction *res, BOOKMARK origin, ULONG flags )
{
    TRACE( "%p, %p, %#Ix, %#lx.\n", iface, res, (ULONG_PTR)origin, flags );
    FORWARD( IMAPITable_FindRow( view, res, origin, flags ) );
}

static HRESULT WINAPI table_forward_Restrict( IMAPITable *iface, SRestriction *res, ULONG flags )
{
    TRACE( "%p, %p, %#lx.\n", iface, res, flags );
    FORWARD( view->lpVtbl->Restrict( view, res, flags ) );
}

HRESULT WINAPI table_forward_CreateBookmark( IMAPITable *iface, BOOKMARK *bookmark )
{
    TRACE( "%p, %p.\n", iface, bookmark );
    FORWARD( IMAPITable_CreateBookmark( view, bookmark ) );
}

HRESULT WINAPI table_forward_FreeBookmark( IMAPITable *iface, BOOKMARK bookmark )
{
    TRACE( "%p, %#Ix.\n", iface, (ULONG_PTR)bookmark );
    FORWARD( IMAPITable_FreeBookmark( view, bookmark ) );
}

static HRESULT WINAPI table_forward_SortTable( IMAPITable *iface, SSortOrderSet *sort, ULONG flags )
{
    TRACE( "%p, %p, %#lx.\n", iface, sort, flags );
    FORWARD( IMAPITable_SortTable( view, sort, flags ) );
}

static HRESULT WINAPI table_forward_QuerySortOrder( IMAPITable *iface, SSortOrderSet **sort )
{
    TRACE( "%p, %p.\n", iface, sort );
    FORWARD( IMAPITable_QuerySortOrder( view, sort ) );
}

static HRESULT WINAPI table_forward_QueryRows( IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows )
{
    TRACE( "%p, %ld, %#lx, %p.\n", iface, count, flags, rows );
    FORWARD( IMAPITable_QueryRows( view, count, flags, rows ) );
}

static HRESULT WINAPI table_forward_Abort( IMAPITable *iface )
{
    TRACE( "%p.\n", iface );
    FORWARD( IMAPITable_Abort( view ) );
}

HRESULT WINAPI table_forward_ExpandRow( IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count, ULONG flags,
                                        SRowSet **rows, ULONG *more )
{
    TRACE( "%p, %lu, %p, %lu, %#lx, %p, %p.\n", iface, key_size, key, count, flags, rows, more );
    FORWARD( IMAPITable_ExpandRow( view, key_size, key, count, flags, rows, more ) );
}

HRESULT WINAPI table_forward_CollapseRow( IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags,
                                          ULONG *count )
{
    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, key_size, key, flags, count );
    FORWARD( IMAPITable_CollapseRow( view, key_size, key, flags, count ) );
}

HRESULT WINAPI table_forward_WaitForCompletion( IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status )
{
    TRACE( "%p, %#lx, %lu, %p.\n", iface, flags, timeout, status );
    FORWARD( IMAPITable_WaitForCompletion( view, flags, timeout, status ) );
}

HRESULT WINAPI table_forward_GetCollapseState( IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                               ULONG *state_size, BYTE **state )
{
    TRACE( "%p, %#lx, %lu, %p, %p, %p.\n", iface, flags, key_size, key, state_size, state );
    FORWARD( IMAPITable_GetCollapseState( view, flags, key_size, key, state_size, state ) );
}

HRESULT WINAPI table_forward_SetCollapseState( IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
                                               BOOKMARK *location )
{
    TRACE( "%p, %#lx, %lu, %p, %p.\n", iface, flags, state_size, state, location );
    FORWARD( IMAPITable_SetCollapseState( view, flags, state_size, state, location ) );
}

#undef FORWARD

static const IMAPITableVtbl table_view_vtbl =
{
    table_view_QueryInterface,
    table_view_AddRef,
    table_view_Release,
    table_forward_GetLastError,
    table_forward_Advise,
    table_forward_Unadvise,
    table_forward_GetStatus,
    table_forward_SetColumns,
    table_forward_QueryColumns,
    table_forward_GetRowCount,
    table_forward_SeekRow,
    table_forward_SeekRowApprox,
    table_forward_QueryPosition,
    table_forward_FindRow,
    table_forward_Restrict,
    table_forward_CreateBookmark,
    table_forward_FreeBookmark,
    table_forward_SortTable,
    table_forward_QuerySortOrder,
    table_forward_QueryRows,
    table_forward_Abort,
    table_forward_ExpandRow,
    table_forward_CollapseRow,
    table_forward_WaitForCompletion,
    table_forward_GetCollapseState,
    table_forward_SetCollapseState,
};

HRESULT table_view_create( struct store_logon *logon, ITableData *data, IMAPITable **out )
{
    struct table_view *table;
    IMAPITable *view;
    HRESULT hr;

    if (FAILED(hr = ITableData_HrGetView( data, NULL, NULL, 0, &view ))) return hr;
    if (!(table = calloc( 1, sizeof(*table) )))
    {
        IMAPITable_Release( view );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    table->forward.IMAPITable_iface.lpVtbl = &table_view_vtbl;
    table->forward.target = table_view_target;
    table->refcount = 1;
    table->view = view;
    table->data = data;
    ITableData_AddRef( data );
    InitializeCriticalSection( &table->refresh_cs );
    table->refresh_cs.DebugInfo->Spare[0] = (DWORD_PTR)(__FILE__ ": table_view.refresh_cs");
    store_child_init( &table->child, logon, table_view_invalidate );
    *out = &table->forward.IMAPITable_iface;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* building tables from table contexts                                  */

struct table_builder
{
    struct store_logon *logon;
    ITableData *data;
    BOOL unicode;
    const ENTRYID *store_entryid;    /* wrapped, or NULL */
    ULONG store_entryid_size;
    uint32_t folder_nid;
    ULONG object_type;               /* MAPI_FOLDER or MAPI_MESSAGE */
    BOOL hierarchy;
    BOOL associated;                 /* the folder's associated contents */
    ULONG rows;                      /* limit for corrupt files */
};

static HRESULT table_create( struct store_logon *logon, const SPropTagArray *extra, struct pst_table *tc,
                             BOOL unicode, ITableData **data )
{
    ULONG i, n = 0, count = tc ? pst_table_column_count( tc ) : 0;
    struct pst_column col;
    SPropTagArray *columns;
    HRESULT hr;

    if (!(columns = malloc( CbNewSPropTagArray(extra->cValues + count) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < extra->cValues; i++) columns->aulPropTag[n++] = extra->aulPropTag[i];
    for (i = 0; i < count; i++)
    {
        ULONG type, j;

        if (pst_table_column( tc, i, &col ) || IS_LTP_COLUMN(col.tag)) continue;
        type = PROP_TYPE(col.tag);
        if (type == PT_OBJECT) continue;
        if (type == PT_STRING8 || type == PT_UNICODE) type = unicode ? PT_UNICODE : PT_STRING8;
        else if (type == PT_MV_STRING8 || type == PT_MV_UNICODE) type = unicode ? PT_MV_UNICODE : PT_MV_STRING8;
        for (j = 0; j < n; j++) if (PROP_ID(columns->aulPropTag[j]) == PROP_ID(col.tag)) break;
        if (j == n) columns->aulPropTag[n++] = PROP_TAG(type, PROP_ID(col.tag));
    }
    columns->cValues = n;
    hr = CreateTable( &IID_IMAPITableData, logon->alloc.allocate_buffer, logon->alloc.allocate_more,
                      logon->alloc.free_buffer, NULL, TBLTYPE_SNAPSHOT, PR_INSTANCE_KEY, columns, data );
    free( columns );
    return hr;
}

static void set_binary( SPropValue *prop, ULONG tag, const void *data, ULONG size )
{
    prop->ulPropTag = tag;
    prop->dwAlignPad = 0;
    prop->Value.bin.cb = size;
    prop->Value.bin.lpb = (BYTE *)data;
}

static void set_long( SPropValue *prop, ULONG tag, LONG value )
{
    prop->ulPropTag = tag;
    prop->dwAlignPad = 0;
    prop->Value.l = value;
}

static HRESULT add_rows( struct table_builder *b, uint32_t folder_nid, LONG depth );

/* One row of a TC, with its computed columns, into the table data. */
static HRESULT add_row( struct table_builder *b, struct pst_table *tc, uint32_t row, uint32_t parent_nid,
                        LONG depth, uint32_t *nid )
{
    ULONG i, n = 0, count = pst_table_column_count( tc );
    BYTE entryid[PST_ENTRYID_SIZE], parent[PST_ENTRYID_SIZE];
    struct pst_column col;
    struct pst_value value;
    SPropValue *props;
    SRow srow;
    HRESULT hr;
    int err;

    if ((err = pst_table_row_id( tc, row, nid ))) return hresult_from_pst( err );
    /* two values for each string column: see below */
    if (FAILED(hr = b->logon->alloc.allocate_buffer( (2 * count + 10) * sizeof(SPropValue), (void **)&props )))
        return hr;
    pst_entryid_format( b->logon->uid, *nid, entryid );
    pst_entryid_format( b->logon->uid, parent_nid, parent );
    /* computed first: the stored columns of the same IDs are left out */
    set_binary( &props[n++], PR_ENTRYID, entryid, sizeof(entryid) );
    set_binary( &props[n++], PR_INSTANCE_KEY, nid, sizeof(*nid) );
    set_binary( &props[n++], PR_PARENT_ENTRYID, parent, sizeof(parent) );
    set_binary( &props[n++], PR_STORE_RECORD_KEY, b->logon->uid, sizeof(b->logon->uid) );
    if (b->store_entryid) set_binary( &props[n++], PR_STORE_ENTRYID, b->store_entryid, b->store_entryid_size );
    set_long( &props[n++], PR_OBJECT_TYPE, b->object_type );
    if (b->hierarchy)
    {
        set_binary( &props[n++], PR_RECORD_KEY, entryid, sizeof(entryid) );
        set_long( &props[n++], PR_DEPTH, depth );
        set_long( &props[n++], PR_FOLDER_TYPE, PST_NID_TYPE(*nid) == PST_NID_TYPE_SEARCH_FOLDER
                  ? FOLDER_SEARCH : FOLDER_GENERIC );
    }
    for (i = 0; i < count; i++)
    {
        ULONG j, computed = n;

        if (pst_table_column( tc, i, &col ) || IS_LTP_COLUMN(col.tag) || PROP_TYPE(col.tag) == PT_OBJECT) continue;
        for (j = 0; j < computed; j++) if (PROP_ID(props[j].ulPropTag) == PROP_ID(col.tag)) break;
        if (j < computed) continue;
        if ((err = pst_table_get_cell( tc, row, col.tag, &value )))
        {
            if (err == PST_E_NOT_FOUND) continue;
            hr = hresult_from_pst( err );
            goto done;
        }
        if (FAILED(hr = props_convert_value( &b->logon->alloc, props, &value, PROP_TAG(PT_UNSPECIFIED,
                    PROP_ID(col.tag)), b->unicode, &props[n] ))) goto done;
        /* absent cells are absent columns, not errors */
        if (PROP_TYPE(props[n].ulPropTag) == PT_ERROR) continue;
        /* the file does not store the flag; the message reports it too */
        if (b->associated && props[n].ulPropTag == PR_MESSAGE_FLAGS) props[n].Value.l |= MSGFLAG_ASSOCIATED;
        n++;
        /* MAPI_UNICODE only chooses the type of the default columns and of
         * PT_UNSPECIFIED tags: a column asked for as _W or _A explicitly
         * gets that type whatever the flag, so the row holds the string in
         * the other type too, after the default one (which PT_UNSPECIFIED
         * finds first) */
        switch (PROP_TYPE(props[n - 1].ulPropTag))
        {
        case PT_STRING8: case PT_UNICODE: case PT_MV_STRING8: case PT_MV_UNICODE:
            if (FAILED(hr = props_convert_value( &b->logon->alloc, props, &value, PROP_TAG(PT_UNSPECIFIED,
                        PROP_ID(col.tag)), !b->unicode, &props[n] ))) goto done;
            if (PROP_TYPE(props[n].ulPropTag) != PT_ERROR && props[n].ulPropTag != props[n - 1].ulPropTag) n++;
            break;
        }
    }
    srow.ulAdrEntryPad = 0;
    srow.cValues = n;
    srow.lpProps = props;
    hr = ITableData_HrModifyRow( b->data, &srow );

done:
    b->logon->alloc.free_buffer( props );
    return hr;
}

/* Every row of a folder's TC, and with depth >= 0 (CONVENIENT_DEPTH) the
 * subfolders of each row right after it. */
static HRESULT add_rows( struct table_builder *b, uint32_t folder_nid, LONG depth )
{
    struct pst_table *tc;
    uint32_t row, count, nid;
    HRESULT hr = S_OK;
    int err;

    if (b->hierarchy) err = pst_folder_open_table( b->logon->file, folder_nid, PST_FOLDER_HIERARCHY, &tc );
    else err = pst_table_open( b->logon->file, folder_nid, &tc );
    /* search folders have no hierarchy; an empty folder may have no TC */
    if (err == PST_E_NOT_FOUND) return S_OK;
    if (err) return hresult_from_pst( err );

    count = pst_table_row_count( tc );
    for (row = 0; row < count && SUCCEEDED(hr); row++)
    {
        if (++b->rows > 1000000)
        {
            hr = MAPI_E_CORRUPT_DATA;
            break;
        }
        if (FAILED(hr = add_row( b, tc, row, folder_nid, depth < 0 ? 0 : depth, &nid ))) break;
        if (depth >= 0 && PST_NID_TYPE(nid) == PST_NID_TYPE_NORMAL_FOLDER && nid != folder_nid)
        {
            if (depth >= MAX_HIERARCHY_DEPTH) hr = MAPI_E_CORRUPT_DATA;
            else hr = add_rows( b, nid, depth + 1 );
        }
    }
    pst_table_close( tc );
    return hr;
}

/* ------------------------------------------------------------------ */
/* folders                                                              */

struct folder
{
    IMAPIFolder IMAPIFolder_iface;
    LONG refcount;
    struct store_child child;
    uint32_t nid;
    struct pst_object *obj;    /* the folder's PC, closed when the logon dies; NULL once deleted */
    ULONG generation;          /* logon->generation obj was opened at */
};

static inline struct folder *impl_from_IMAPIFolder( IMAPIFolder *iface )
{
    return CONTAINING_RECORD( iface, struct folder, IMAPIFolder_iface );
}

static void folder_invalidate( struct store_child *child )
{
    struct folder *folder = CONTAINING_RECORD( child, struct folder, child );

    pst_object_close( folder->obj );
    folder->obj = NULL;
}

/* Enters the logon; an engine handle from before the last commit is
 * reopened (it may be stale), and stays NULL once the folder is gone. */
static BOOL folder_enter( struct folder *folder )
{
    struct store_logon *logon = folder->child.logon;

    if (!store_child_enter( &folder->child )) return FALSE;
    if (folder->generation != logon->generation)
    {
        if (folder->obj) pst_object_close( folder->obj );
        folder->obj = NULL;
        if (pst_folder_open( logon->file, folder->nid, &folder->obj )) folder->obj = NULL;
        folder->generation = logon->generation;
    }
    return TRUE;
}

static void folder_leave( struct folder *folder )
{
    store_child_leave( &folder->child );
}

/* ------------------------------------------------------------------ */
/* writing (folders are not transacted: each change commits at once)   */

/* Memory that lives as long as one write: every block is freed together. */
struct arena
{
    struct arena_block *head;
};

struct arena_block
{
    struct arena_block *next;
    double data[];             /* aligned for any value */
};

static void *arena_alloc( struct arena *arena, size_t size )
{
    struct arena_block *block;

    if (!(block = malloc( offsetof(struct arena_block, data) + max( size, 8 ) ))) return NULL;
    block->next = arena->head;
    arena->head = block;
    return block->data;
}

static void *arena_dup( struct arena *arena, const void *data, size_t size )
{
    void *copy;

    if (!(copy = arena_alloc( arena, size ))) return NULL;
    if (size) memcpy( copy, data, size );
    return copy;
}

static void arena_free( struct arena *arena )
{
    struct arena_block *block, *next;

    for (block = arena->head; block; block = next)
    {
        next = block->next;
        free( block );
    }
    arena->head = NULL;
}

/* A property list under construction; the values live in the arena. */
struct value_list
{
    struct pst_value *values;
    uint32_t count, capacity;
};

static int value_list_add( struct arena *arena, struct value_list *list, const struct pst_value *value )
{
    struct pst_value *copy;

    if (list->count == list->capacity)
    {
        uint32_t capacity = list->capacity * 2 + 16;
        struct pst_value *values;

        if (!(values = arena_alloc( arena, capacity * sizeof(*values) ))) return PST_E_NOMEM;
        if (list->count) memcpy( values, list->values, list->count * sizeof(*values) );
        list->values = values;
        list->capacity = capacity;
    }
    copy = &list->values[list->count];
    *copy = *value;
    if (value->bytes && !(copy->bytes = arena_dup( arena, value->bytes, value->size ))) return PST_E_NOMEM;
    list->count++;
    return PST_OK;
}

static void value_list_remove( struct value_list *list, ULONG id )
{
    uint32_t i;

    for (i = 0; i < list->count; i++)
    {
        if (PROP_ID(list->values[i].tag) != id) continue;
        memmove( &list->values[i], &list->values[i + 1], (list->count - i - 1) * sizeof(*list->values) );
        list->count--;
        return;
    }
}

/* The engine's folder bookkeeping: never copied from one folder to another. */
static BOOL is_folder_count( ULONG tag )
{
    ULONG id = PROP_ID(tag);

    return id == PROP_ID(PR_CONTENT_COUNT) || id == PROP_ID(PR_CONTENT_UNREAD) || id == PROP_ID(PR_SUBFOLDERS)
           || id == PROP_ID(PR_ASSOC_CONTENT_COUNT);
}

/* Every stored property of OBJ but embedded objects, copied into LIST. */
static int copy_object_props( struct arena *arena, struct pst_object *obj, struct value_list *list, BOOL folder )
{
    struct pst_value value;
    uint32_t i, count = pst_prop_count( obj );
    int err;

    for (i = 0; i < count; i++)
    {
        if ((err = pst_prop_get_at( obj, i, &value ))) return err;
        if (value.type == PST_PT_OBJECT) continue;
        if (folder && is_folder_count( value.tag )) continue;
        if ((err = value_list_add( arena, list, &value ))) return err;
    }
    return PST_OK;
}

/* Every cell of every row of TC, one property list per row. */
static int copy_table_rows( struct arena *arena, struct pst_table *tc, struct pst_propset **rows, uint32_t *count )
{
    uint32_t row, col, cols = pst_table_column_count( tc );
    struct pst_column column;
    struct pst_value value;
    int err;

    *count = pst_table_row_count( tc );
    if (!(*rows = arena_alloc( arena, *count * sizeof(**rows) ))) return PST_E_NOMEM;
    for (row = 0; row < *count; row++)
    {
        struct value_list list = { 0 };

        for (col = 0; col < cols; col++)
        {
            if ((err = pst_table_column( tc, col, &column ))) return err;
            if (IS_LTP_COLUMN(column.tag) || PST_PROP_TYPE(column.tag) == PST_PT_OBJECT) continue;
            if ((err = pst_table_get_cell( tc, row, column.tag, &value )) == PST_E_NOT_FOUND) continue;
            if (err || (err = value_list_add( arena, &list, &value ))) return err;
        }
        (*rows)[row].props = list.values;
        (*rows)[row].count = list.count;
    }
    return PST_OK;
}

/* A message read whole with the engine, for pst_message_save elsewhere. */
static int read_message( struct arena *arena, struct pst_object *msg, struct pst_message_data *data, int depth )
{
    struct pst_attachment_data *atts;
    struct pst_table *tc;
    struct value_list list = { 0 };
    uint32_t i, count, id;
    int err;

    if (depth > 16) return PST_E_CORRUPT;
    memset( data, 0, sizeof(*data) );
    if ((err = copy_object_props( arena, msg, &list, FALSE ))) return err;
    value_list_remove( &list, PROP_ID(PR_MESSAGE_SIZE) );
    data->props.props = list.values;
    data->props.count = list.count;

    if (!(err = pst_message_open_table( msg, PST_NID_RECIPIENT_TABLE, &tc )))
    {
        struct pst_propset *rows;

        err = copy_table_rows( arena, tc, &rows, &count );
        pst_table_close( tc );
        if (err) return err;
        data->recipients = rows;
        data->recipient_count = count;
    }
    else if (err != PST_E_NOT_FOUND) return err;

    if ((err = pst_message_open_table( msg, PST_NID_ATTACHMENT_TABLE, &tc )) == PST_E_NOT_FOUND) return PST_OK;
    if (err) return err;
    count = pst_table_row_count( tc );
    if (!(atts = arena_alloc( arena, count * sizeof(*atts) ))) err = PST_E_NOMEM;
    for (i = 0; i < count && !err; i++)
    {
        struct pst_object *att, *embedded;
        struct pst_message_data *sub;
        struct pst_value method;

        memset( &atts[i], 0, sizeof(atts[i]) );
        if ((err = pst_table_row_id( tc, i, &id )) || (err = pst_message_open_attachment( msg, id, &att ))) break;
        list.values = NULL;
        list.count = list.capacity = 0;
        if (!(err = copy_object_props( arena, att, &list, FALSE )))
        {
            value_list_remove( &list, PROP_ID(PR_ATTACH_SIZE) );
            atts[i].props.props = list.values;
            atts[i].props.count = list.count;
        }
        if (!err && !pst_prop_get( att, PST_PR_ATTACH_METHOD, &method ) && method.u.l == ATTACH_EMBEDDED_MSG
                && !pst_attachment_open_message( att, &embedded ))
        {
            if (!(sub = arena_alloc( arena, sizeof(*sub) ))) err = PST_E_NOMEM;
            else if (!(err = read_message( arena, embedded, sub, depth + 1 ))) atts[i].embedded = sub;
            pst_object_close( embedded );
        }
        pst_object_close( att );
    }
    pst_table_close( tc );
    if (err) return err;
    data->attachments = atts;
    data->attachment_count = count;
    return PST_OK;
}

/* Copies message NID into folder DEST; *copy gets the new NID. */
static int copy_message( struct pst_file *file, uint32_t nid, uint32_t dest, uint32_t *copy )
{
    struct pst_message_data data;
    struct arena arena = { 0 };
    struct pst_object *msg;
    int err;

    if ((err = pst_message_open( file, nid, &msg ))) return err;
    err = read_message( &arena, msg, &data, 0 );
    pst_object_close( msg );
    *copy = 0;
    if (!err) err = pst_message_save( file, dest, PST_NID_TYPE(nid) == PST_NID_TYPE_ASSOC_MESSAGE, &data, copy );
    arena_free( &arena );
    return err;
}

/* The row IDs (NIDs) of a folder's table of type TYPE; none if it has no table. */
static int table_nids( struct pst_file *file, uint32_t folder_nid, uint32_t type, uint32_t **nids, uint32_t *count )
{
    struct pst_table *tc;
    uint32_t i;
    int err;

    *nids = NULL;
    *count = 0;
    if ((err = pst_table_open( file, PST_NID_MAKE(PST_NID_INDEX(folder_nid), type), &tc )))
        return err == PST_E_NOT_FOUND ? PST_OK : err;
    *count = pst_table_row_count( tc );
    if (*count && !(*nids = malloc( *count * sizeof(**nids) ))) err = PST_E_NOMEM;
    for (i = 0; i < *count && !err; i++) err = pst_table_row_id( tc, i, &(*nids)[i] );
    pst_table_close( tc );
    if (err)
    {
        free( *nids );
        *nids = NULL;
        *count = 0;
    }
    return err;
}

static ULONG table_rows( struct pst_file *file, uint32_t folder_nid, uint32_t type )
{
    struct pst_table *tc;
    ULONG count;

    if (pst_table_open( file, PST_NID_MAKE(PST_NID_INDEX(folder_nid), type), &tc )) return 0;
    count = pst_table_row_count( tc );
    pst_table_close( tc );
    return count;
}

static WCHAR *name_to_w( const void *name, BOOL unicode )
{
    WCHAR *ret;
    int len;

    if (unicode) return wcsdup( name );
    len = MultiByteToWideChar( CP_ACP, 0, name, -1, NULL, 0 );
    if (!(ret = malloc( len * sizeof(WCHAR) ))) return NULL;
    MultiByteToWideChar( CP_ACP, 0, name, -1, ret, len );
    return ret;
}

/* The subfolder of PARENT named NAME (case-insensitive, as Outlook
 * compares folder names), other than EXCEPT; 0 if none. */
static uint32_t find_subfolder( struct pst_file *file, uint32_t parent, const WCHAR *name, uint32_t except )
{
    struct pst_table *tc;
    struct pst_value value;
    uint32_t row, count, nid, found = 0;

    if (pst_table_open( file, PST_NID_MAKE(PST_NID_INDEX(parent), PST_NID_TYPE_HIERARCHY_TABLE), &tc )) return 0;
    count = pst_table_row_count( tc );
    for (row = 0; row < count && !found; row++)
    {
        if (pst_table_row_id( tc, row, &nid ) || nid == except) continue;
        if (pst_table_get_cell( tc, row, PR_DISPLAY_NAME_W, &value ) || value.size / sizeof(WCHAR) > INT_MAX) continue;
        if (CompareStringOrdinal( (const WCHAR *)value.bytes, value.size / sizeof(WCHAR), name, -1, TRUE )
                == CSTR_EQUAL) found = nid;
    }
    pst_table_close( tc );
    return found;
}

static void set_unicode( struct pst_value *value, ULONG tag, const WCHAR *text )
{
    memset( value, 0, sizeof(*value) );
    value->tag = PROP_TAG(PT_UNICODE, PROP_ID(tag));
    value->type = PT_UNICODE;
    value->bytes = (const uint8_t *)text;
    value->size = wcslen( text ) * sizeof(WCHAR);
}

/* Encodes a multi-valued variable-size property as the file stores it:
 * count, offsets from the start, then the items. */
static HRESULT mv_encode( struct arena *arena, ULONG count, const void *(*item)(const SPropValue *, ULONG, size_t *),
                          const SPropValue *prop, struct pst_value *value )
{
    size_t size = 4 + 4 * (size_t)count, len, offset;
    uint8_t *data;
    ULONG i;

    for (i = 0; i < count; i++)
    {
        item( prop, i, &len );
        size += len;
    }
    if (size > UINT32_MAX || !(data = arena_alloc( arena, size ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy( data, &count, 4 );
    offset = 4 + 4 * (size_t)count;
    for (i = 0; i < count; i++)
    {
        const void *src = item( prop, i, &len );
        uint32_t off32 = offset;

        memcpy( data + 4 + 4 * i, &off32, 4 );
        memcpy( data + offset, src, len );
        offset += len;
    }
    value->bytes = data;
    value->size = size;
    return S_OK;
}

static const void *mv_unicode_item( const SPropValue *prop, ULONG i, size_t *len )
{
    *len = wcslen( prop->Value.MVszW.lppszW[i] ) * sizeof(WCHAR);
    return prop->Value.MVszW.lppszW[i];
}

static const void *mv_binary_item( const SPropValue *prop, ULONG i, size_t *len )
{
    *len = prop->Value.MVbin.lpbin[i].cb;
    return prop->Value.MVbin.lpbin[i].lpb;
}

/* A MAPI value in the engine's form; strings become Unicode.  Variable
 * data is referenced or copied into the arena. */
static HRESULT value_from_mapi( struct arena *arena, const SPropValue *prop, struct pst_value *value )
{
    ULONG type = PROP_TYPE(prop->ulPropTag), i;
    size_t elem = 0;

    memset( value, 0, sizeof(*value) );
    value->tag = prop->ulPropTag;
    switch (type)
    {
    case PT_I2:       value->u.i2 = prop->Value.i; break;
    case PT_LONG:     value->u.l = prop->Value.l; break;
    case PT_ERROR:    value->u.err = prop->Value.err; break;
    case PT_R4:       value->u.r4 = prop->Value.flt; break;
    case PT_DOUBLE:   value->u.dbl = prop->Value.dbl; break;
    case PT_APPTIME:  value->u.dbl = prop->Value.at; break;
    case PT_CURRENCY: value->u.i8 = prop->Value.cur.int64; break;
    case PT_I8:       value->u.i8 = prop->Value.li.QuadPart; break;
    case PT_BOOLEAN:  value->u.boolean = !!prop->Value.b; break;
    case PT_SYSTIME:
        value->u.i8 = ((INT64)prop->Value.ft.dwHighDateTime << 32) | prop->Value.ft.dwLowDateTime;
        break;
    case PT_CLSID:
        if (!prop->Value.lpguid) return MAPI_E_INVALID_PARAMETER;
        value->bytes = (const uint8_t *)prop->Value.lpguid;
        value->size = sizeof(GUID);
        break;
    case PT_BINARY:
        if (prop->Value.bin.cb && !prop->Value.bin.lpb) return MAPI_E_INVALID_PARAMETER;
        value->bytes = prop->Value.bin.lpb;
        value->size = prop->Value.bin.cb;
        break;
    case PT_UNICODE:
        if (!prop->Value.lpszW) return MAPI_E_INVALID_PARAMETER;
        value->bytes = (const uint8_t *)prop->Value.lpszW;
        value->size = wcslen( prop->Value.lpszW ) * sizeof(WCHAR);
        break;
    case PT_STRING8:
    {
        WCHAR *text;
        int len;

        if (!prop->Value.lpszA) return MAPI_E_INVALID_PARAMETER;
        len = MultiByteToWideChar( CP_ACP, 0, prop->Value.lpszA, -1, NULL, 0 );
        if (!(text = arena_alloc( arena, len * sizeof(WCHAR) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        MultiByteToWideChar( CP_ACP, 0, prop->Value.lpszA, -1, text, len );
        set_unicode( value, prop->ulPropTag, text );
        return S_OK;
    }
    case PT_MV_I2:       elem = 2; break;
    case PT_MV_LONG:     elem = 4; break;
    case PT_MV_R4:       elem = 4; break;
    case PT_MV_DOUBLE: case PT_MV_APPTIME: case PT_MV_CURRENCY: case PT_MV_SYSTIME: case PT_MV_I8: elem = 8; break;
    case PT_MV_CLSID:    elem = sizeof(GUID); break;
    case PT_MV_UNICODE:
        for (i = 0; i < prop->Value.MVszW.cValues; i++)
            if (!prop->Value.MVszW.lppszW[i]) return MAPI_E_INVALID_PARAMETER;
        return mv_encode( arena, prop->Value.MVszW.cValues, mv_unicode_item, prop, value );
    case PT_MV_BINARY:
        return mv_encode( arena, prop->Value.MVbin.cValues, mv_binary_item, prop, value );
    case PT_MV_STRING8:
    {
        SPropValue wide;
        WCHAR **strings;
        int len;

        if (!(strings = arena_alloc( arena, prop->Value.MVszA.cValues * sizeof(*strings) )))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; i < prop->Value.MVszA.cValues; i++)
        {
            if (!prop->Value.MVszA.lppszA[i]) return MAPI_E_INVALID_PARAMETER;
            len = MultiByteToWideChar( CP_ACP, 0, prop->Value.MVszA.lppszA[i], -1, NULL, 0 );
            if (!(strings[i] = arena_alloc( arena, len * sizeof(WCHAR) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
            MultiByteToWideChar( CP_ACP, 0, prop->Value.MVszA.lppszA[i], -1, strings[i], len );
        }
        wide.ulPropTag = PROP_TAG(PT_MV_UNICODE, PROP_ID(prop->ulPropTag));
        wide.Value.MVszW.cValues = prop->Value.MVszA.cValues;
        wide.Value.MVszW.lppszW = strings;
        value->tag = wide.ulPropTag;
        return mv_encode( arena, wide.Value.MVszW.cValues, mv_unicode_item, &wide, value );
    }
    default:
        return MAPI_E_INVALID_TYPE;
    }
    if (elem)
    {
        /* fixed-size multi-valued: the packed array, the count implied */
        value->bytes = (const uint8_t *)prop->Value.MVi.lpi;
        value->size = elem * prop->Value.MVi.cValues;
        if (value->size && !value->bytes) return MAPI_E_INVALID_PARAMETER;
    }
    value->type = PROP_TYPE(value->tag);
    return S_OK;
}

/* Computed folder properties: SetProps and DeleteProps refuse them. */
static BOOL is_folder_computed( ULONG tag )
{
    static const ULONG computed[] =
    {
        PR_ENTRYID, PR_RECORD_KEY, PR_PARENT_ENTRYID, PR_STORE_RECORD_KEY, PR_STORE_ENTRYID, PR_OBJECT_TYPE,
        PR_FOLDER_TYPE, PR_DISPLAY_TYPE, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT,
        PR_SUBFOLDERS, PR_ACCESS, PR_ACCESS_LEVEL, PR_INSTANCE_KEY, PR_DEPTH,
    };
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(computed); i++) if (PROP_ID(computed[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

static const IMAPIFolderVtbl folder_vtbl;

/* Our folder behind a destination pointer, or NULL for another provider's
 * (every interface of ours a client can pass is the IMAPIFolder one). */
static struct folder *folder_from_dest( void *dest )
{
    IMAPIFolder *folder = dest;

    if (!folder || folder->lpVtbl != &folder_vtbl) return NULL;
    return impl_from_IMAPIFolder( folder );
}

static BOOL is_folder_iid( const IID *iid )
{
    return !iid || IsEqualGUID( iid, &IID_IMAPIFolder ) || IsEqualGUID( iid, &IID_IMAPIContainer )
           || IsEqualGUID( iid, &IID_IMAPIProp ) || IsEqualGUID( iid, &IID_IUnknown );
}

/* After a commit, with no lock held: tables first, so that a client
 * reacting to an object notification reads fresh tables. */
static void folder_after_commit( struct folder *folder, struct notify_batch *batch )
{
    folder_tables_refresh( folder->child.logon );
    notify_send( batch );
}

/* The parent folder of NID, or 0. */
static uint32_t node_parent( struct pst_file *file, uint32_t nid )
{
    struct pst_node_info info;

    if (pst_node_get( file, nid, &info )) return 0;
    return info.nid_parent;
}

/* A message entry ID of this store naming a message node in FOLDER_NID:
 * its NID, or 0. */
static uint32_t folder_message( struct store_logon *logon, uint32_t folder_nid, ULONG size, const ENTRYID *entry )
{
    uint8_t uid[16];
    uint32_t nid;

    if (!entry || pst_entryid_parse( (const uint8_t *)entry, size, uid, &nid ) || memcmp( uid, logon->uid, 16 ))
        return 0;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        return 0;
    if (node_parent( logon->file, nid ) != folder_nid) return 0;
    return nid;
}

static HRESULT WINAPI folder_QueryInterface( IMAPIFolder *iface, REFIID riid, void **out )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPIProp )
            || IsEqualGUID( riid, &IID_IMAPIContainer ) || IsEqualGUID( riid, &IID_IMAPIFolder ))
    {
        *out = &folder->IMAPIFolder_iface;
        IMAPIFolder_AddRef( &folder->IMAPIFolder_iface );
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI folder_AddRef( IMAPIFolder *iface )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    ULONG refcount = InterlockedIncrement( &folder->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI folder_Release( IMAPIFolder *iface )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    ULONG refcount = InterlockedDecrement( &folder->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        store_child_destroy( &folder->child );
        free( folder );
    }
    return refcount;
}

static HRESULT WINAPI folder_GetLastError( IMAPIFolder *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return mapi_error_create( &folder->child.logon->alloc, result, flags, NULL, error );
}

static HRESULT WINAPI folder_SaveChanges( IMAPIFolder *iface, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    BOOL writable;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    writable = folder->child.logon->writable;
    folder_leave( folder );
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    /* folders are not transacted (imapiprop-savechanges.md): SetProps and
     * DeleteProps committed already, there is nothing left to save */
    return writable ? S_OK : MAPI_E_NO_ACCESS;
}

/* Row count of one of the folder's TCs; 0 when it has none. */
static ULONG folder_table_rows( struct folder *folder, uint32_t type, ULONG *unread )
{
    struct pst_table *tc;
    struct pst_value value;
    uint32_t count, row;

    if (pst_table_open( folder->child.logon->file, PST_NID_MAKE(PST_NID_INDEX(folder->nid), type), &tc )) return 0;
    count = pst_table_row_count( tc );
    if (unread)
    {
        *unread = 0;
        for (row = 0; row < count; row++)
            if (!pst_table_get_cell( tc, row, PR_MESSAGE_FLAGS, &value ) && !(value.u.l & MSGFLAG_READ))
                (*unread)++;
    }
    pst_table_close( tc );
    return count;
}

#define FOLDER_COMPUTED 16

/* The computed properties; binaries point into IDS (3 entry IDs). */
static ULONG folder_computed( struct folder *folder, const ENTRYID *store_entryid, ULONG store_entryid_size,
                             BYTE ids[3][PST_ENTRYID_SIZE], SPropValue *props )
{
    struct store_logon *logon = folder->child.logon;
    BOOL search = PST_NID_TYPE(folder->nid) == PST_NID_TYPE_SEARCH_FOLDER;
    struct pst_node_info info;
    ULONG n = 0, unread = 0, count, sub;
    uint32_t parent = folder->nid;

    if (!pst_node_get( logon->file, folder->nid, &info ) && info.nid_parent) parent = info.nid_parent;
    pst_entryid_format( logon->uid, folder->nid, ids[0] );
    pst_entryid_format( logon->uid, parent, ids[1] );
    count = folder_table_rows( folder, search ? PST_NID_TYPE_SEARCH_CONTENTS_TABLE : PST_NID_TYPE_CONTENTS_TABLE,
                               &unread );
    sub = search ? 0 : folder_table_rows( folder, PST_NID_TYPE_HIERARCHY_TABLE, NULL );

    set_binary( &props[n++], PR_ENTRYID, ids[0], PST_ENTRYID_SIZE );
    set_binary( &props[n++], PR_RECORD_KEY, ids[0], PST_ENTRYID_SIZE );
    set_binary( &props[n++], PR_PARENT_ENTRYID, ids[1], PST_ENTRYID_SIZE );
    set_binary( &props[n++], PR_STORE_RECORD_KEY, logon->uid, sizeof(logon->uid) );
    if (store_entryid) set_binary( &props[n++], PR_STORE_ENTRYID, store_entryid, store_entryid_size );
    set_long( &props[n++], PR_OBJECT_TYPE, MAPI_FOLDER );
    set_long( &props[n++], PR_FOLDER_TYPE, folder->nid == PST_NID_ROOT_FOLDER ? FOLDER_ROOT
              : search ? FOLDER_SEARCH : FOLDER_GENERIC );
    set_long( &props[n++], PR_DISPLAY_TYPE, DT_FOLDER );
    /* counted from the tables: the folder's own copies may be stale */
    set_long( &props[n++], PR_CONTENT_COUNT, count );
    set_long( &props[n++], PR_CONTENT_UNREAD, unread );
    set_long( &props[n++], PR_ASSOC_CONTENT_COUNT,
              search ? 0 : folder_table_rows( folder, PST_NID_TYPE_ASSOC_CONTENTS_TABLE, NULL ) );
    props[n].ulPropTag = PR_SUBFOLDERS;
    props[n].dwAlignPad = 0;
    props[n++].Value.b = sub != 0;
    if (logon->writable)
    {
        set_long( &props[n++], PR_ACCESS, MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_DELETE
                  | MAPI_ACCESS_CREATE_HIERARCHY | MAPI_ACCESS_CREATE_CONTENTS | MAPI_ACCESS_CREATE_ASSOCIATED );
        set_long( &props[n++], PR_ACCESS_LEVEL, MAPI_MODIFY );
    }
    else
    {
        /* read-only store: reading is all anyone may do */
        set_long( &props[n++], PR_ACCESS, MAPI_ACCESS_READ );
        set_long( &props[n++], PR_ACCESS_LEVEL, 0 );
    }
    return n;
}

static BOOL tags_want( const SPropTagArray *tags, ULONG tag )
{
    ULONG i;

    if (!tags) return TRUE;
    for (i = 0; i < tags->cValues; i++) if (PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

static HRESULT WINAPI folder_GetProps( IMAPIFolder *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                       SPropValue **props )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    SPropValue computed[FOLDER_COMPUTED];
    BYTE ids[3][PST_ENTRYID_SIZE];
    ENTRYID *store_entryid = NULL;
    ULONG store_entryid_size = 0, n;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!count || !props || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;

    /* MAPI wraps the store entry ID: no lock held while it does */
    if (tags_want( tags, PR_STORE_ENTRYID )
            && FAILED(hr = store_wrapped_entryid( logon, &store_entryid_size, &store_entryid ))) return hr;

    if (!folder_enter( folder ))
    {
        logon->alloc.free_buffer( store_entryid );
        return MAPI_E_INVALID_OBJECT;
    }
    n = folder_computed( folder, store_entryid, store_entryid_size, ids, computed );
    hr = props_get( &logon->alloc, folder->obj, computed, n, tags, flags, count, props );
    folder_leave( folder );
    logon->alloc.free_buffer( store_entryid );
    return hr;
}

static HRESULT WINAPI folder_GetPropList( IMAPIFolder *iface, ULONG flags, SPropTagArray **tags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    SPropValue computed[FOLDER_COMPUTED];
    BYTE ids[3][PST_ENTRYID_SIZE];
    BYTE dummy[4] = {0};
    HRESULT hr;
    ULONG n;

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    /* PR_STORE_ENTRYID is listed; its value is only needed by GetProps */
    n = folder_computed( folder, (ENTRYID *)dummy, sizeof(dummy), ids, computed );
    hr = props_get_list( &logon->alloc, folder->obj, computed, n, flags, tags );
    folder_leave( folder );
    return hr;
}

static HRESULT WINAPI folder_OpenProperty( IMAPIFolder *iface, ULONG tag, const IID *iid, ULONG options,
                                           ULONG flags, IUnknown **unk )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    HRESULT hr;

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!unk || !iid)
    {
        folder_leave( folder );
        return MAPI_E_INVALID_PARAMETER;
    }
    *unk = NULL;
    if (flags & (MAPI_CREATE | MAPI_MODIFY)) hr = MAPI_E_NO_ACCESS;
    else if (tag == PR_CONTAINER_CONTENTS || tag == PR_FOLDER_ASSOCIATED_CONTENTS || tag == PR_CONTAINER_HIERARCHY)
    {
        /* the documented alternative to the table methods */
        folder_leave( folder );
        if (!IsEqualGUID( iid, &IID_IMAPITable )) return MAPI_E_INTERFACE_NOT_SUPPORTED;
        if (tag == PR_CONTAINER_HIERARCHY)
            return IMAPIFolder_GetHierarchyTable( iface, options & MAPI_UNICODE, (IMAPITable **)unk );
        return IMAPIFolder_GetContentsTable( iface, (options & MAPI_UNICODE)
                                             | (tag == PR_FOLDER_ASSOCIATED_CONTENTS ? MAPI_ASSOCIATED : 0),
                                             (IMAPITable **)unk );
    }
    else if (!IsEqualGUID( iid, &IID_IStream )) hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = stream_create( folder->child.logon, folder->obj, tag, (IStream **)unk );
    folder_leave( folder );
    return hr;
}

/* SetProps and DeleteProps */
struct folder_props_write
{
    uint32_t nid;
    struct pst_propset set;
    uint32_t *remove;
    uint32_t remove_count;
};

static int folder_props_write( struct pst_file *file, void *context )
{
    struct folder_props_write *w = context;

    return pst_folder_set_props( file, w->nid, &w->set, w->remove, w->remove_count );
}

/* A problem array of COUNT entries, or NULL when PROBLEMS is. */
static HRESULT problems_create( struct store_logon *logon, ULONG count, SPropProblemArray **problems )
{
    HRESULT hr;

    if (!problems) return S_OK;
    if (FAILED(hr = logon->alloc.allocate_buffer( CbNewSPropProblemArray(count ? count : 1), (void **)problems )))
        return hr;
    (*problems)->cProblem = 0;
    return S_OK;
}

static void problem_add( SPropProblemArray *problems, ULONG index, ULONG tag, SCODE error )
{
    SPropProblem *problem;

    if (!problems) return;
    problem = &problems->aProblem[problems->cProblem++];
    problem->ulIndex = index;
    problem->ulPropTag = tag;
    problem->scode = error;
}

/* Commits a change of the folder's properties and announces it; lock held. */
static HRESULT folder_write_props( struct folder *folder, struct folder_props_write *w, struct notify_batch *batch )
{
    struct store_logon *logon = folder->child.logon;
    HRESULT hr;

    w->nid = folder->nid;
    if (!w->set.count && !w->remove_count) return S_OK;
    if (SUCCEEDED(hr = store_logon_transact( logon, folder_props_write, w )))
        notify_add( batch, fnevObjectModified, MAPI_FOLDER, folder->nid, node_parent( logon->file, folder->nid ),
                    0, 0 );
    return hr;
}

static void problems_finish( struct store_logon *logon, HRESULT hr, SPropProblemArray **problems )
{
    if (!problems || !*problems) return;
    /* no problem, or a failure: the caller gets no array */
    if (FAILED(hr) || !(*problems)->cProblem)
    {
        logon->alloc.free_buffer( *problems );
        *problems = NULL;
    }
}

static HRESULT WINAPI folder_SetProps( IMAPIFolder *iface, ULONG count, SPropValue *props,
                                       SPropProblemArray **problems )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct folder_props_write w = { 0 };
    struct value_list list = { 0 };
    struct arena arena = { 0 };
    struct notify_batch batch;
    struct pst_value value;
    HRESULT hr;
    ULONG i;

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!props) return MAPI_E_INVALID_PARAMETER;
    if (problems) *problems = NULL;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if (SUCCEEDED(hr = problems_create( logon, count, problems )))
    {
        for (i = 0; i < count && SUCCEEDED(hr); i++)
        {
            ULONG tag = props[i].ulPropTag;
            HRESULT error;

            if (PROP_TYPE(tag) == PT_ERROR || PROP_TYPE(tag) == PT_NULL) continue;
            if (is_folder_computed( tag ))
            {
                problem_add( problems ? *problems : NULL, i, tag, MAPI_E_COMPUTED );
                continue;
            }
            if (PROP_TYPE(tag) == PT_OBJECT || !PROP_ID(tag))
            {
                problem_add( problems ? *problems : NULL, i, tag, MAPI_E_INVALID_TYPE );
                continue;
            }
            if ((error = value_from_mapi( &arena, &props[i], &value )) == MAPI_E_NOT_ENOUGH_MEMORY) hr = error;
            else if (FAILED(error)) problem_add( problems ? *problems : NULL, i, tag, error );
            else if (PROP_ID(tag) == PROP_ID(PR_DISPLAY_NAME_W))
            {
                WCHAR *name = arena_alloc( &arena, value.size + sizeof(WCHAR) );

                /* sibling folders keep distinct names */
                if (!name) hr = MAPI_E_NOT_ENOUGH_MEMORY;
                else
                {
                    memcpy( name, value.bytes, value.size );
                    name[value.size / sizeof(WCHAR)] = 0;
                    if (!name[0]) problem_add( problems ? *problems : NULL, i, tag, MAPI_E_INVALID_PARAMETER );
                    else if (folder->nid != PST_NID_ROOT_FOLDER
                             && find_subfolder( logon->file, node_parent( logon->file, folder->nid ), name,
                                                folder->nid ))
                        hr = MAPI_E_COLLISION;
                    else
                    {
                        value_list_remove( &list, PROP_ID(tag) );
                        if (value_list_add( &arena, &list, &value )) hr = MAPI_E_NOT_ENOUGH_MEMORY;
                    }
                }
            }
            else
            {
                value_list_remove( &list, PROP_ID(tag) );
                if (value_list_add( &arena, &list, &value )) hr = MAPI_E_NOT_ENOUGH_MEMORY;
            }
        }
        w.set.props = list.values;
        w.set.count = list.count;
        if (SUCCEEDED(hr)) hr = folder_write_props( folder, &w, &batch );
        problems_finish( logon, hr, problems );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    arena_free( &arena );
    return hr;
}

static HRESULT WINAPI folder_DeleteProps( IMAPIFolder *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct folder_props_write w = { 0 };
    struct notify_batch batch;
    struct pst_value value;
    HRESULT hr;
    ULONG i;

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (problems) *problems = NULL;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if (!(w.remove = calloc( tags->cValues + 1, sizeof(*w.remove) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (SUCCEEDED(hr = problems_create( logon, tags->cValues, problems )))
    {
        for (i = 0; i < tags->cValues; i++)
        {
            ULONG tag = tags->aulPropTag[i];

            if (is_folder_computed( tag ) || PROP_ID(tag) == PROP_ID(PR_DISPLAY_NAME_W))
            {
                /* a folder without a name is no folder Outlook can show */
                problem_add( problems ? *problems : NULL, i, tag, is_folder_computed( tag ) ? MAPI_E_COMPUTED
                             : MAPI_E_NO_ACCESS );
                continue;
            }
            /* the engine removes by exact tag: find the stored type */
            if (pst_prop_get( folder->obj, PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)), &value )) continue;
            w.remove[w.remove_count++] = value.tag;
        }
        hr = folder_write_props( folder, &w, &batch );
        problems_finish( logon, hr, problems );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( w.remove );
    return hr;
}

static BOOL folder_is_under( struct pst_file *file, uint32_t nid, uint32_t ancestor );

/* By identifier, whatever the type, as CopyTo's exclude list matches. */
static BOOL tag_in_list( const SPropTagArray *tags, ULONG tag )
{
    ULONG i;

    for (i = 0; tags && i < tags->cValues; i++) if (PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

/* CopyTo / CopyProps of a folder: MAPI's generic copy (the support object's
 * DoCopyTo, which copies messages and subfolders through CopyMessages and
 * CopyFolder), after refusing a destination inside the source's own
 * subtree (MAPI_E_FOLDER_CYCLE, imapiprop-copyto.md). */
static HRESULT folder_copy( struct folder *folder, const struct copy_args *args )
{
    struct store_logon *logon = folder->child.logon;
    IMAPISupport *support;
    struct folder *target;
    HRESULT hr = S_OK;
    BOOL writable;

    if (args->problems) *args->problems = NULL;
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if ((target = folder_from_dest( args->dest )) && target != folder && target->child.logon == logon
             && folder_is_under( logon->file, target->nid, folder->nid ))
    {
        /* only a copy of the subfolders (or the contents, which cannot hold
         * folders) can reach the destination; the same object is NO_ACCESS */
        if (args->copy_props ? tag_in_list( args->include_props, PR_CONTAINER_HIERARCHY )
                             : !tag_in_list( args->exclude_props, PR_CONTAINER_HIERARCHY ))
            hr = MAPI_E_FOLDER_CYCLE;
    }
    support = logon->support;
    IMAPISupport_AddRef( support );
    writable = logon->writable;
    folder_leave( folder );
    if (SUCCEEDED(hr))
        hr = copy_through_support( support, &logon->alloc, &IID_IMAPIFolder,
                                   (IUnknown *)&folder->IMAPIFolder_iface, writable, args );
    IMAPISupport_Release( support );
    return hr;
}

static HRESULT WINAPI folder_CopyTo( IMAPIFolder *iface, ULONG exclude_count, const IID *exclude_iids,
                                     SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                     const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct copy_args args = { exclude_count, exclude_iids, exclude_props, NULL, FALSE, ui_param, progress, iid,
                              dest, flags, problems };

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    return folder_copy( impl_from_IMAPIFolder( iface ), &args );
}

static HRESULT WINAPI folder_CopyProps( IMAPIFolder *iface, SPropTagArray *include, ULONG ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems )
{
    struct copy_args args = { 0, NULL, NULL, include, TRUE, ui_param, progress, iid, dest, flags, problems };

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include, ui_param, progress, debugstr_guid(iid),
           dest, flags, problems );

    return folder_copy( impl_from_IMAPIFolder( iface ), &args );
}

static HRESULT WINAPI folder_GetNamesFromIDs( IMAPIFolder *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                              ULONG *count, MAPINAMEID ***names )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    HRESULT hr;

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    hr = props_get_names_from_ids( folder->child.logon, tags, guid, flags, count, names );
    folder_leave( folder );
    return hr;
}

static HRESULT WINAPI folder_GetIDsFromNames( IMAPIFolder *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                              SPropTagArray **tags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    hr = props_get_ids_from_names( folder->child.logon, count, names, flags, tags );
    folder_leave( folder );
    return hr;
}

/* Reads a hierarchy or contents table of folder FOLDER_NID into new table
 * data; lock held.  A folder without the table (or deleted) gives no rows. */
static HRESULT folder_build_table( struct store_logon *logon, uint32_t folder_nid, BOOL hierarchy, ULONG flags,
                                   const ENTRYID *store_entryid, ULONG store_entryid_size, ITableData **out )
{
    static const ULONG hierarchy_tags[] = { PR_ENTRYID, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_RECORD_KEY,
                                            PR_STORE_ENTRYID, PR_OBJECT_TYPE, PR_RECORD_KEY, PR_DEPTH,
                                            PR_FOLDER_TYPE };
    static const ULONG contents_tags[] = { PR_ENTRYID, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_RECORD_KEY,
                                           PR_STORE_ENTRYID, PR_OBJECT_TYPE };
    struct table_builder b = { logon };
    BYTE buffer[CbNewSPropTagArray(16)];
    SPropTagArray *extra = (SPropTagArray *)buffer;
    struct pst_table *tc = NULL;
    uint32_t tc_nid;
    HRESULT hr;
    int err;

    if (hierarchy)
    {
        extra->cValues = ARRAY_SIZE(hierarchy_tags);
        memcpy( extra->aulPropTag, hierarchy_tags, sizeof(hierarchy_tags) );
        tc_nid = PST_NID_MAKE(PST_NID_INDEX(folder_nid), PST_NID_TYPE_HIERARCHY_TABLE);
    }
    else
    {
        extra->cValues = ARRAY_SIZE(contents_tags);
        memcpy( extra->aulPropTag, contents_tags, sizeof(contents_tags) );
        if (PST_NID_TYPE(folder_nid) == PST_NID_TYPE_SEARCH_FOLDER)
            tc_nid = (flags & MAPI_ASSOCIATED) ? 0 : PST_NID_MAKE(PST_NID_INDEX(folder_nid),
                                                                  PST_NID_TYPE_SEARCH_CONTENTS_TABLE);
        else tc_nid = PST_NID_MAKE(PST_NID_INDEX(folder_nid), (flags & MAPI_ASSOCIATED)
                                   ? PST_NID_TYPE_ASSOC_CONTENTS_TABLE : PST_NID_TYPE_CONTENTS_TABLE);
    }

    *out = NULL;
    if (tc_nid && (err = pst_table_open( logon->file, tc_nid, &tc )) && err != PST_E_NOT_FOUND)
        return hresult_from_pst( err );
    if (FAILED(hr = table_create( logon, extra, tc, !!(flags & MAPI_UNICODE), &b.data ))) goto done;
    b.unicode = !!(flags & MAPI_UNICODE);
    b.store_entryid = store_entryid;
    b.store_entryid_size = store_entryid_size;
    b.folder_nid = folder_nid;
    b.hierarchy = hierarchy;
    b.associated = !hierarchy && (flags & MAPI_ASSOCIATED);
    b.object_type = hierarchy ? MAPI_FOLDER : MAPI_MESSAGE;
    if (tc)
    {
        if (hierarchy) hr = add_rows( &b, folder_nid, (flags & CONVENIENT_DEPTH) ? 0 : -1 );
        else
        {
            uint32_t row, count = pst_table_row_count( tc ), nid;

            for (row = 0; row < count && SUCCEEDED(hr); row++)
                hr = add_row( &b, tc, row, folder_nid, 0, &nid );
        }
    }
    if (SUCCEEDED(hr)) *out = b.data;
    else ITableData_Release( b.data );

done:
    if (tc) pst_table_close( tc );
    return hr;
}

/* The rows hold string columns in both types (add_row); a new view shows
 * only those of the type MAPI_UNICODE chose, until SetColumns asks for the
 * others by name. */
static void table_default_columns( IMAPITable *view, const struct mapi_allocators *alloc, BOOL unicode )
{
    ULONG i, n = 0, other = unicode ? PT_STRING8 : PT_UNICODE;
    SPropTagArray *columns;

    if (FAILED(IMAPITable_QueryColumns( view, 0, &columns ))) return;
    for (i = 0; i < columns->cValues; i++)
        if ((PROP_TYPE(columns->aulPropTag[i]) & ~MV_FLAG) != other)
            columns->aulPropTag[n++] = columns->aulPropTag[i];
    columns->cValues = n;
    IMAPITable_SetColumns( view, columns, 0 );
    alloc->free_buffer( columns );
}

/* A snapshot table of the folder in the state STATE describes (NULL: a
 * new table): the view gets the columns, restriction, sort and cursor
 * position of the engine-backed contents table it replaces.  Lock held. */
HRESULT folder_snapshot_table( struct store_logon *logon, uint32_t folder_nid, BOOL hierarchy, ULONG flags,
                               const ENTRYID *store_entryid, ULONG store_entryid_size,
                               const struct table_state *state, IMAPITable **out )
{
    struct table_view *table;
    ITableData *data;
    HRESULT hr;

    if (FAILED(hr = folder_build_table( logon, folder_nid, hierarchy, flags, store_entryid, store_entryid_size,
                                        &data ))) return hr;
    hr = table_view_create( logon, data, out );
    ITableData_Release( data );
    if (FAILED(hr)) return hr;

    /* remember how to rebuild it after later commits */
    table = impl_from_IMAPITable( *out );
    table_default_columns( table->view, &logon->alloc, !!(flags & MAPI_UNICODE) );
    table->folder_table = TRUE;
    table->folder_nid = folder_nid;
    table->hierarchy = hierarchy;
    table->flags = flags;
    table->generation = logon->generation;
    if (store_entryid && (table->store_entryid = malloc( store_entryid_size )))
    {
        memcpy( table->store_entryid, store_entryid, store_entryid_size );
        table->store_entryid_size = store_entryid_size;
    }
    if (!state) return S_OK;
    /* the inner view calls nobody back: safe under the logon lock */
    if (state->columns) hr = IMAPITable_SetColumns( table->view, (SPropTagArray *)state->columns, 0 );
    if (SUCCEEDED(hr) && state->res) hr = table->view->lpVtbl->Restrict( table->view, (SRestriction *)state->res, 0 );
    if (SUCCEEDED(hr) && state->sort) hr = IMAPITable_SortTable( table->view, (SSortOrderSet *)state->sort, 0 );
    if (SUCCEEDED(hr)) hr = table->view->lpVtbl->SeekRow( table->view, BOOKMARK_BEGINNING, state->cursor, NULL );
    if (FAILED(hr))
    {
        IMAPITable_Release( *out );
        *out = NULL;
    }
    return hr;
}

/* Builds a hierarchy or contents table of the folder: contents tables are
 * engine-backed (contents.c) where they can be. */
static HRESULT folder_get_table( struct folder *folder, BOOL hierarchy, ULONG flags, IMAPITable **out )
{
    struct store_logon *logon = folder->child.logon;
    ENTRYID *store_entryid = NULL;
    ULONG store_entryid_size = 0;
    HRESULT hr = S_FALSE;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = store_wrapped_entryid( logon, &store_entryid_size, &store_entryid ))) return hr;

    if (!folder_enter( folder ))
    {
        logon->alloc.free_buffer( store_entryid );
        return MAPI_E_INVALID_OBJECT;
    }
    hr = S_FALSE;
    if (!hierarchy) hr = contents_table_create( logon, folder->nid, flags, store_entryid, store_entryid_size, out );
    if (hr == S_FALSE)
        hr = folder_snapshot_table( logon, folder->nid, hierarchy, flags, store_entryid, store_entryid_size, NULL,
                                    out );
    folder_leave( folder );
    logon->alloc.free_buffer( store_entryid );
    return hr;
}

/* The row of DATA with the index key of ROW, or NULL (free it with FREE). */
static SRow *table_find( ITableData *data, const SRow *row )
{
    SRow *found = NULL;
    ULONG i;

    for (i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == PR_INSTANCE_KEY) break;
    if (i == row->cValues) return NULL;
    if (FAILED(ITableData_HrQueryRow( data, &row->lpProps[i], &found, NULL ))) return NULL;
    return found;
}

static BOOL rows_equal( const SRow *a, const SRow *b )
{
    ULONG i;

    if (a->cValues != b->cValues) return FALSE;
    for (i = 0; i < a->cValues; i++)
        if (a->lpProps[i].ulPropTag != b->lpProps[i].ulPropTag
                || LPropCompareProp( &a->lpProps[i], &b->lpProps[i] )) return FALSE;
    return TRUE;
}

/* Makes OLD hold the rows of NEW, row by row, so that the client's views
 * send TABLE_ROW_DELETED / ADDED / MODIFIED (winemapix's table turns bulk
 * changes into one TABLE_CHANGED).  No logon lock held: sinks run inside. */
static void table_sync( struct store_logon *logon, ITableData *old, ITableData *new )
{
    SRow *row, *found, **gone = NULL;
    ULONG i, j, count = 0, capacity = 0;

    /* rows that went away, collected first: deleting shifts the positions */
    for (i = 0; SUCCEEDED(ITableData_HrEnumRow( old, i, &row )) && row; i++)
    {
        if ((found = table_find( new, row ))) logon->alloc.free_buffer( found );
        else if (count < capacity || (gone = realloc( gone, (capacity = capacity * 2 + 8) * sizeof(*gone) )))
        {
            gone[count++] = row;
            continue;
        }
        logon->alloc.free_buffer( row );
    }
    for (i = 0; i < count; i++)
    {
        for (j = 0; j < gone[i]->cValues; j++)
            if (gone[i]->lpProps[j].ulPropTag == PR_INSTANCE_KEY)
                ITableData_HrDeleteRow( old, &gone[i]->lpProps[j] );
        logon->alloc.free_buffer( gone[i] );
    }
    free( gone );

    for (i = 0; SUCCEEDED(ITableData_HrEnumRow( new, i, &row )) && row; i++)
    {
        found = table_find( old, row );
        if (!found || !rows_equal( found, row )) ITableData_HrModifyRow( old, row );
        if (found) logon->alloc.free_buffer( found );
        logon->alloc.free_buffer( row );
    }
}

static HRESULT table_view_refresh( struct table_view *table )
{
    struct store_logon *logon = table->child.logon;
    ITableData *old, *new = NULL;
    HRESULT hr;

    EnterCriticalSection( &table->refresh_cs );
    if (!store_child_enter( &table->child ))
    {
        LeaveCriticalSection( &table->refresh_cs );
        return MAPI_E_INVALID_OBJECT;
    }
    if (!table->folder_table || table->generation == logon->generation)
    {
        store_child_leave( &table->child );
        LeaveCriticalSection( &table->refresh_cs );
        return S_OK;
    }
    hr = folder_build_table( logon, table->folder_nid, table->hierarchy, table->flags, table->store_entryid,
                             table->store_entryid_size, &new );
    if (SUCCEEDED(hr)) table->generation = logon->generation;
    old = table->data;
    ITableData_AddRef( old );
    store_child_leave( &table->child );

    if (new)
    {
        table_sync( logon, old, new );
        ITableData_Release( new );
    }
    ITableData_Release( old );
    LeaveCriticalSection( &table->refresh_cs );
    return hr;
}

static BOOL table_view_addref_if_alive( struct table_view *table )
{
    LONG count;

    do
    {
        if (!(count = table->refcount)) return FALSE;
    } while (InterlockedCompareExchange( &table->refcount, count + 1, count ) != count);
    return TRUE;
}

void folder_tables_refresh( struct store_logon *logon )
{
    struct store_child *child;
    struct table_view *table, **tables = NULL;
    ULONG i, count = 0, capacity = 0;

    EnterCriticalSection( &logon->cs );
    LIST_FOR_EACH_ENTRY( child, &logon->children, struct store_child, entry )
    {
        if (child->dead || child->invalidate != table_view_invalidate) continue;
        table = CONTAINING_RECORD( child, struct table_view, child );
        if (!table->folder_table || table->generation == logon->generation) continue;
        if (count == capacity)
        {
            struct table_view **grown = realloc( tables, (capacity = capacity * 2 + 8) * sizeof(*tables) );

            if (!grown) break;   /* the rest catch up at their next call */
            tables = grown;
        }
        /* a client may release it meanwhile: hold it, unless its last
         * reference is already gone and it waits for the lock to unlink */
        if (!table_view_addref_if_alive( table )) continue;
        tables[count++] = table;
    }
    LeaveCriticalSection( &logon->cs );

    for (i = 0; i < count; i++)
    {
        table_view_refresh( tables[i] );
        IMAPITable_Release( &tables[i]->forward.IMAPITable_iface );
    }
    free( tables );
}

static HRESULT WINAPI folder_GetContentsTable( IMAPIFolder *iface, ULONG flags, IMAPITable **table )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!table) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS | SHOW_SOFT_DELETES | MAPI_BEST_ACCESS
                  | MAPI_NO_CACHE)) return MAPI_E_UNKNOWN_FLAGS;
    /* nothing is soft-deleted in a PST */
    return folder_get_table( folder, FALSE, flags, table );
}

static HRESULT WINAPI folder_GetHierarchyTable( IMAPIFolder *iface, ULONG flags, IMAPITable **table )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!table) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | SHOW_SOFT_DELETES))
        return MAPI_E_UNKNOWN_FLAGS;
    return folder_get_table( folder, TRUE, flags, table );
}

static HRESULT WINAPI folder_OpenEntry( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                        ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags, obj_type, unk );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    /* relative to the store: a NULL entry ID opens the root folder */
    hr = logon_open_entry( folder->child.logon, entry_size, entry, 0, iid, flags, obj_type, unk );
    folder_leave( folder );
    return hr;
}

static HRESULT WINAPI folder_SetSearchCriteria( IMAPIFolder *iface, SRestriction *res, ENTRYLIST *containers,
                                                ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %p, %#lx.\n", iface, res, containers, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (PST_NID_TYPE(folder->nid) != PST_NID_TYPE_SEARCH_FOLDER) return MAPI_E_NO_SUPPORT;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_GetSearchCriteria( IMAPIFolder *iface, ULONG flags, SRestriction **res,
                                                ENTRYLIST **containers, ULONG *state )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %#lx, %p, %p, %p.\n", iface, flags, res, containers, state );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (PST_NID_TYPE(folder->nid) != PST_NID_TYPE_SEARCH_FOLDER) return MAPI_E_NO_SUPPORT;
    /* the criteria object (NID type 7) is not decoded yet */
    FIXME( "search criteria are not implemented.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_CreateMessage( IMAPIFolder *iface, const IID *iid, ULONG flags, IMessage **message )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    BOOL writable, gone;

    TRACE( "%p, %s, %#lx, %p.\n", iface, debugstr_guid(iid), flags, message );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    writable = logon->writable;
    gone = !folder->obj;
    folder_leave( folder );
    if (!message) return MAPI_E_INVALID_PARAMETER;
    *message = NULL;
    if (flags & ~(MAPI_DEFERRED_ERRORS | MAPI_ASSOCIATED)) return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualGUID( iid, &IID_IMessage ) && !IsEqualGUID( iid, &IID_IMAPIProp )
            && !IsEqualGUID( iid, &IID_IUnknown )) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!writable) return MAPI_E_NO_ACCESS;
    if (gone) return MAPI_E_OBJECT_DELETED;
    /* search folders hold links to messages, not messages */
    if (PST_NID_TYPE(folder->nid) != PST_NID_TYPE_NORMAL_FOLDER) return MAPI_E_NO_SUPPORT;
    /* the message gets its node, and the folder its row, at SaveChanges */
    return message_create( logon, folder->nid, !!(flags & MAPI_ASSOCIATED), flags, message );
}

/* CopyMessages and DeleteMessages */
struct messages_write
{
    uint32_t *nids;
    uint32_t *copies;          /* copies' NIDs */
    ULONG count;
    uint32_t dest;             /* 0: delete */
    BOOL move;
};

static int messages_write( struct pst_file *file, void *context )
{
    struct messages_write *w = context;
    ULONG i;
    int err = PST_OK;

    for (i = 0; i < w->count && !err; i++)
    {
        if (!w->dest) err = pst_message_delete( file, w->nids[i] );
        else if (w->move) err = pst_message_move( file, w->nids[i], w->dest );
        else err = copy_message( file, w->nids[i], w->dest, &w->copies[i] );
    }
    return err;
}

/* The messages of LIST that are in the folder; *missing counts the others. */
static HRESULT folder_list_messages( struct folder *folder, const ENTRYLIST *list, struct messages_write *w,
                                     ULONG *missing )
{
    ULONG i;

    *missing = 0;
    if (!(w->nids = calloc( list->cValues + 1, sizeof(*w->nids) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(w->copies = calloc( list->cValues + 1, sizeof(*w->copies) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < list->cValues; i++)
    {
        uint32_t nid = folder_message( folder->child.logon, folder->nid, list->lpbin[i].cb,
                                       (const ENTRYID *)list->lpbin[i].lpb );
        ULONG j;

        for (j = 0; j < w->count; j++) if (w->nids[j] == nid) break;
        if (!nid) (*missing)++;
        else if (j == w->count) w->nids[w->count++] = nid;
    }
    return S_OK;
}

static HRESULT WINAPI folder_CopyMessages( IMAPIFolder *iface, ENTRYLIST *list, const IID *iid, void *dest,
                                           ULONG ui_param, IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface ), *target;
    struct store_logon *logon = folder->child.logon;
    struct messages_write w = { 0 };
    struct notify_batch batch;
    IMAPISupport *support;
    ULONG missing = 0, i;
    HRESULT hr;

    TRACE( "%p, %p, %s, %p, %#lx, %p, %#lx.\n", iface, list, debugstr_guid(iid), dest, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!list || !dest) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK)) return MAPI_E_UNKNOWN_FLAGS;
    if (!is_folder_iid( iid )) return MAPI_E_INTERFACE_NOT_SUPPORTED;

    target = folder_from_dest( dest );
    if (!target || target->child.logon != logon)
    {
        /* another store: MAPI's generic copy through both providers' interfaces */
        if (flags & MAPI_DECLINE_OK) return MAPI_E_DECLINE_COPY;
        if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
        support = logon->support;
        IMAPISupport_AddRef( support );
        folder_leave( folder );
        hr = IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, iface, list, iid ? iid : &IID_IMAPIFolder,
                                        dest, ui_param, progress, flags );
        IMAPISupport_Release( support );
        return hr;
    }

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder_enter( target )) hr = MAPI_E_INVALID_OBJECT;
    else
    {
        if (!folder->obj || !target->obj) hr = MAPI_E_OBJECT_DELETED;
        else if (PST_NID_TYPE(target->nid) != PST_NID_TYPE_NORMAL_FOLDER) hr = MAPI_E_NO_SUPPORT;
        else if (SUCCEEDED(hr = folder_list_messages( folder, list, &w, &missing )))
        {
            w.dest = target->nid;
            w.move = !!(flags & MESSAGE_MOVE);
            if (w.move && target->nid == folder->nid) w.count = 0;
            if (w.count) hr = store_logon_transact( logon, messages_write, &w );
            for (i = 0; SUCCEEDED(hr) && i < w.count; i++)
            {
                if (w.move) notify_add( &batch, fnevObjectMoved, MAPI_MESSAGE, w.nids[i], target->nid,
                                        w.nids[i], folder->nid );
                else notify_add( &batch, fnevObjectCopied, MAPI_MESSAGE, w.copies[i], target->nid,
                                 w.nids[i], folder->nid );
            }
            if (SUCCEEDED(hr) && w.count)
            {
                notify_add( &batch, fnevObjectModified, MAPI_FOLDER, target->nid,
                            node_parent( logon->file, target->nid ), 0, 0 );
                if (w.move) notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid,
                                        node_parent( logon->file, folder->nid ), 0, 0 );
            }
        }
        folder_leave( target );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( w.nids );
    free( w.copies );
    if (SUCCEEDED(hr) && missing) hr = MAPI_W_PARTIAL_COMPLETION;
    return hr;
}

static HRESULT WINAPI folder_DeleteMessages( IMAPIFolder *iface, ENTRYLIST *list, ULONG ui_param,
                                             IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct messages_write w = { 0 };
    struct notify_batch batch;
    ULONG missing = 0, i;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %#lx.\n", iface, list, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!list) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MESSAGE_DIALOG | DELETE_HARD_DELETE)) return MAPI_E_UNKNOWN_FLAGS;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    /* a PST keeps no soft-deleted messages: every delete is hard */
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if (SUCCEEDED(hr = folder_list_messages( folder, list, &w, &missing )))
    {
        if (w.count) hr = store_logon_transact( logon, messages_write, &w );
        for (i = 0; SUCCEEDED(hr) && i < w.count; i++)
            notify_add( &batch, fnevObjectDeleted, MAPI_MESSAGE, w.nids[i], folder->nid, 0, 0 );
        if (SUCCEEDED(hr) && w.count)
            notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid, node_parent( logon->file, folder->nid ),
                        0, 0 );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( w.nids );
    free( w.copies );
    if (SUCCEEDED(hr) && missing) hr = MAPI_W_PARTIAL_COMPLETION;
    return hr;
}

struct folder_create_write
{
    uint32_t parent;
    struct pst_propset props;
    uint32_t nid;
};

static int folder_create_write( struct pst_file *file, void *context )
{
    struct folder_create_write *w = context;

    return pst_folder_create( file, w->parent, &w->props, &w->nid );
}

static HRESULT WINAPI folder_CreateFolder( IMAPIFolder *iface, ULONG type, LPSTR name, LPSTR comment,
                                           const IID *iid, ULONG flags, IMAPIFolder *out_arg )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    /* Wine's header misdeclares the out parameter */
    IMAPIFolder **out = (IMAPIFolder **)out_arg;
    struct folder_create_write w = { 0 };
    WCHAR *name_w = NULL, *comment_w = NULL;
    struct pst_value values[2];
    struct notify_batch batch;
    uint32_t existing;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %p, %s, %#lx, %p.\n", iface, type, name, comment, debugstr_guid(iid), flags, out );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!name || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(MAPI_UNICODE | OPEN_IF_EXISTS | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (type != FOLDER_GENERIC && type != FOLDER_SEARCH) return MAPI_E_INVALID_PARAMETER;
    if (!is_folder_iid( iid )) return MAPI_E_INTERFACE_NOT_SUPPORTED;

    if (!(name_w = name_to_w( name, !!(flags & MAPI_UNICODE) ))
            || (comment && !(comment_w = name_to_w( comment, !!(flags & MAPI_UNICODE) ))))
    {
        free( name_w );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    notify_init( &batch, logon );
    if (!folder_enter( folder ))
    {
        free( name_w );
        free( comment_w );
        return MAPI_E_INVALID_OBJECT;
    }
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    /* the engine does not maintain search folders (their criteria and
     * results are Outlook's search machinery): none can be created */
    else if (type == FOLDER_SEARCH || PST_NID_TYPE(folder->nid) != PST_NID_TYPE_NORMAL_FOLDER) hr = MAPI_E_NO_SUPPORT;
    else if (!name_w[0]) hr = MAPI_E_INVALID_PARAMETER;
    else if ((existing = find_subfolder( logon->file, folder->nid, name_w, 0 )))
    {
        if (flags & OPEN_IF_EXISTS) hr = folder_open( logon, existing, 0, out );
        else hr = MAPI_E_COLLISION;
    }
    else
    {
        set_unicode( &values[0], PR_DISPLAY_NAME_W, name_w );
        if (comment_w && comment_w[0]) set_unicode( &values[1], PR_COMMENT_W, comment_w );
        w.parent = folder->nid;
        w.props.props = values;
        w.props.count = comment_w && comment_w[0] ? 2 : 1;
        if (SUCCEEDED(hr = store_logon_transact( logon, folder_create_write, &w )))
        {
            notify_add( &batch, fnevObjectCreated, MAPI_FOLDER, w.nid, folder->nid, 0, 0 );
            notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid, node_parent( logon->file, folder->nid ),
                        0, 0 );
            hr = folder_open( logon, w.nid, 0, out );
        }
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( name_w );
    free( comment_w );
    return hr;
}

/* CopyFolder */
struct folder_copy_write
{
    uint32_t source;
    uint32_t dest;
    const WCHAR *name;         /* new name, or NULL */
    BOOL move;
    BOOL subfolders;
    uint32_t result;           /* the moved folder, or the copy */
};

static int copy_folder_tree( struct pst_file *file, uint32_t source, uint32_t dest, const WCHAR *name,
                             BOOL subfolders, int depth, uint32_t *copy )
{
    static const uint32_t types[] = { PST_NID_TYPE_CONTENTS_TABLE, PST_NID_TYPE_ASSOC_CONTENTS_TABLE };
    struct value_list list = { 0 };
    struct arena arena = { 0 };
    struct pst_propset props;
    struct pst_object *obj;
    struct pst_value value;
    uint32_t *nids, count, i, t, dummy;
    int err;

    if (depth > MAX_HIERARCHY_DEPTH) return PST_E_CORRUPT;
    if ((err = pst_folder_open( file, source, &obj ))) return err;
    err = copy_object_props( &arena, obj, &list, TRUE );
    pst_object_close( obj );
    if (!err && name)
    {
        value_list_remove( &list, PROP_ID(PR_DISPLAY_NAME_W) );
        set_unicode( &value, PR_DISPLAY_NAME_W, name );
        err = value_list_add( &arena, &list, &value );
    }
    props.props = list.values;
    props.count = list.count;
    if (!err) err = pst_folder_create( file, dest, &props, copy );
    arena_free( &arena );
    if (err) return err;

    for (t = 0; t < ARRAY_SIZE(types) && !err; t++)
    {
        if ((err = table_nids( file, source, types[t], &nids, &count ))) break;
        for (i = 0; i < count && !err; i++) err = copy_message( file, nids[i], *copy, &dummy );
        free( nids );
    }
    if (err || !subfolders) return err;
    if ((err = table_nids( file, source, PST_NID_TYPE_HIERARCHY_TABLE, &nids, &count ))) return err;
    for (i = 0; i < count && !err; i++)
    {
        /* the copy of a folder into itself must not copy itself again */
        if (nids[i] == *copy || PST_NID_TYPE(nids[i]) != PST_NID_TYPE_NORMAL_FOLDER) continue;
        err = copy_folder_tree( file, nids[i], *copy, NULL, TRUE, depth + 1, &dummy );
    }
    free( nids );
    return err;
}

static int folder_copy_write( struct pst_file *file, void *context )
{
    struct folder_copy_write *w = context;
    struct pst_value value;
    struct pst_propset set = { &value, 1 };
    int err;

    if (!w->move) return copy_folder_tree( file, w->source, w->dest, w->name, w->subfolders, 0, &w->result );
    w->result = w->source;
    if ((err = pst_folder_move( file, w->source, w->dest ))) return err;
    if (!w->name) return PST_OK;
    set_unicode( &value, PR_DISPLAY_NAME_W, w->name );
    return pst_folder_set_props( file, w->source, &set, NULL, 0 );
}

/* TRUE if NID is ANCESTOR or below it. */
static BOOL folder_is_under( struct pst_file *file, uint32_t nid, uint32_t ancestor )
{
    int depth;

    for (depth = 0; nid && depth < MAX_HIERARCHY_DEPTH; depth++)
    {
        uint32_t parent;

        if (nid == ancestor) return TRUE;
        if ((parent = node_parent( file, nid )) == nid) break;
        nid = parent;
    }
    return FALSE;
}

static HRESULT WINAPI folder_CopyFolder( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                         void *dest, LPSTR name, ULONG ui_param, IMAPIProgress *progress,
                                         ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface ), *target;
    struct store_logon *logon = folder->child.logon;
    struct folder_copy_write w = { 0 };
    struct notify_batch batch;
    IMAPISupport *support;
    WCHAR *name_w = NULL;
    uint8_t uid[16];
    uint32_t nid;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %s, %p, %p, %#lx, %p, %#lx.\n", iface, entry_size, entry, debugstr_guid(iid), dest, name,
           ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!entry || !dest) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(FOLDER_MOVE | FOLDER_DIALOG | COPY_SUBFOLDERS | MAPI_UNICODE | MAPI_DECLINE_OK))
        return MAPI_E_UNKNOWN_FLAGS;
    if (!is_folder_iid( iid )) return MAPI_E_INTERFACE_NOT_SUPPORTED;

    target = folder_from_dest( dest );
    if (!target || target->child.logon != logon)
    {
        /* another store: MAPI's generic copy through both providers' interfaces */
        if (flags & MAPI_DECLINE_OK) return MAPI_E_DECLINE_COPY;
        if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
        support = logon->support;
        IMAPISupport_AddRef( support );
        folder_leave( folder );
        hr = IMAPISupport_CopyFolder( support, &IID_IMAPIFolder, iface, entry_size, entry,
                                      iid ? iid : &IID_IMAPIFolder, dest, (LPWSTR)name, ui_param, progress, flags );
        IMAPISupport_Release( support );
        return hr;
    }
    if (name && !(name_w = name_to_w( name, !!(flags & MAPI_UNICODE) ))) return MAPI_E_NOT_ENOUGH_MEMORY;

    notify_init( &batch, logon );
    if (!folder_enter( folder ))
    {
        free( name_w );
        return MAPI_E_INVALID_OBJECT;
    }
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder_enter( target )) hr = MAPI_E_INVALID_OBJECT;
    else
    {
        if (!folder->obj || !target->obj) hr = MAPI_E_OBJECT_DELETED;
        else if (pst_entryid_parse( (const uint8_t *)entry, entry_size, uid, &nid ) || memcmp( uid, logon->uid, 16 )
                 || PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER) hr = MAPI_E_INVALID_ENTRYID;
        else if (node_parent( logon->file, nid ) != folder->nid) hr = MAPI_E_NOT_FOUND;
        else if (PST_NID_TYPE(target->nid) != PST_NID_TYPE_NORMAL_FOLDER) hr = MAPI_E_NO_SUPPORT;
        else if (folder_is_under( logon->file, target->nid, nid )) hr = MAPI_E_FOLDER_CYCLE;
        else
        {
            struct pst_object *obj;
            struct pst_value value;
            WCHAR *old_name = NULL;

            /* the name it will have in the destination must be free there */
            if (!name_w && !pst_folder_open( logon->file, nid, &obj ))
            {
                if (!pst_prop_get( obj, PR_DISPLAY_NAME_W, &value )
                        && (old_name = calloc( 1, value.size + sizeof(WCHAR) )))
                    /* whole characters only: an odd size from a damaged file
                     * would leave the terminator half written */
                    memcpy( old_name, value.bytes, value.size & ~(size_t)1 );
                pst_object_close( obj );
            }
            if ((name_w || old_name)
                    && find_subfolder( logon->file, target->nid, name_w ? name_w : old_name, nid ))
                hr = MAPI_E_COLLISION;
            else if (name_w && !name_w[0]) hr = MAPI_E_INVALID_PARAMETER;
            else
            {
                w.source = nid;
                w.dest = target->nid;
                w.name = name_w;
                w.move = !!(flags & FOLDER_MOVE);
                w.subfolders = !!(flags & COPY_SUBFOLDERS);
                if (SUCCEEDED(hr = store_logon_transact( logon, folder_copy_write, &w )))
                {
                    if (w.move) notify_add( &batch, fnevObjectMoved, MAPI_FOLDER, nid, target->nid, nid, folder->nid );
                    else notify_add( &batch, fnevObjectCopied, MAPI_FOLDER, w.result, target->nid, nid, folder->nid );
                    notify_add( &batch, fnevObjectModified, MAPI_FOLDER, target->nid,
                                node_parent( logon->file, target->nid ), 0, 0 );
                    if (w.move) notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid,
                                            node_parent( logon->file, folder->nid ), 0, 0 );
                }
            }
            free( old_name );
        }
        folder_leave( target );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( name_w );
    return hr;
}

static int folder_delete_write( struct pst_file *file, void *context )
{
    return pst_folder_delete( file, *(uint32_t *)context );
}

static HRESULT WINAPI folder_DeleteFolder( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry,
                                           ULONG ui_param, IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct notify_batch batch;
    uint8_t uid[16];
    uint32_t nid;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %p, %#lx.\n", iface, entry_size, entry, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!entry) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG | DELETE_HARD_DELETE)) return MAPI_E_UNKNOWN_FLAGS;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if (pst_entryid_parse( (const uint8_t *)entry, entry_size, uid, &nid ) || memcmp( uid, logon->uid, 16 )
             || (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER && PST_NID_TYPE(nid) != PST_NID_TYPE_SEARCH_FOLDER))
        hr = MAPI_E_INVALID_ENTRYID;
    else if (node_parent( logon->file, nid ) != folder->nid) hr = MAPI_E_NOT_FOUND;
    else if (!(flags & DEL_FOLDERS) && table_rows( logon->file, nid, PST_NID_TYPE_HIERARCHY_TABLE ))
        hr = MAPI_E_HAS_FOLDERS;
    else if (!(flags & DEL_MESSAGES) && (table_rows( logon->file, nid, PST_NID_TYPE_CONTENTS_TABLE )
             || table_rows( logon->file, nid, PST_NID_TYPE_ASSOC_CONTENTS_TABLE )))
        hr = MAPI_E_HAS_MESSAGES;
    else if (SUCCEEDED(hr = store_logon_transact( logon, folder_delete_write, &nid )))
    {
        notify_add( &batch, fnevObjectDeleted, MAPI_FOLDER, nid, folder->nid, 0, 0 );
        notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid, node_parent( logon->file, folder->nid ),
                    0, 0 );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    return hr;
}

/* SetReadFlags */
struct read_flags_write
{
    uint32_t *nids;
    ULONG count;
    ULONG flags;
    BOOL *changed;
};

static int read_flags_write( struct pst_file *file, void *context )
{
    struct read_flags_write *w = context;
    struct pst_object *msg;
    struct pst_value value;
    ULONG i;
    int err;

    for (i = 0; i < w->count; i++)
    {
        LONG old = 0, new;

        if ((err = pst_message_open( file, w->nids[i], &msg ))) return err;
        if (!pst_prop_get( msg, PR_MESSAGE_FLAGS, &value )) old = value.u.l;
        pst_object_close( msg );
        new = old;
        if (w->flags & CLEAR_READ_FLAG) new &= ~MSGFLAG_READ;
        else if (!(w->flags & GENERATE_RECEIPT_ONLY)) new |= MSGFLAG_READ;
        if (w->flags & (CLEAR_RN_PENDING | SUPPRESS_RECEIPT)) new &= ~MSGFLAG_RN_PENDING;
        if (w->flags & CLEAR_NRN_PENDING) new &= ~MSGFLAG_NRN_PENDING;
        if (new == old) continue;
        memset( &value, 0, sizeof(value) );
        value.tag = PR_MESSAGE_FLAGS;
        value.type = PT_LONG;
        value.u.l = new;
        if ((err = pst_message_set_props( file, w->nids[i], &(struct pst_propset){ &value, 1 }, NULL, 0 )))
            return err;
        w->changed[i] = TRUE;
    }
    return PST_OK;
}

static HRESULT WINAPI folder_SetReadFlags( IMAPIFolder *iface, ENTRYLIST *list, ULONG ui_param,
                                           IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct read_flags_write w = { 0 };
    struct messages_write m = { 0 };
    struct notify_batch batch;
    ULONG missing = 0, i;
    HRESULT hr = S_OK;
    int err;

    TRACE( "%p, %p, %#lx, %p, %#lx.\n", iface, list, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (flags & ~(SUPPRESS_RECEIPT | FOLDER_DIALOG | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY
                  | CLEAR_RN_PENDING | CLEAR_NRN_PENDING)) return MAPI_E_UNKNOWN_FLAGS;
    /* the documented combinations that cannot go together */
    if ((flags & SUPPRESS_RECEIPT) && (flags & GENERATE_RECEIPT_ONLY)) return MAPI_E_INVALID_PARAMETER;
    if ((flags & CLEAR_READ_FLAG) && (flags & (SUPPRESS_RECEIPT | GENERATE_RECEIPT_ONLY)))
        return MAPI_E_INVALID_PARAMETER;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if (list) hr = folder_list_messages( folder, list, &m, &missing );
    else
    {
        uint32_t count;

        if ((err = table_nids( logon->file, folder->nid, PST_NID_TYPE_CONTENTS_TABLE, &m.nids, &count )))
            hr = hresult_from_pst( err );
        m.count = count;
    }
    /* read receipts are the spooler's business (IMAPISupport::ReadReceipt
     * from a message's SubmitMessage path); here only the flags change */
    if (SUCCEEDED(hr) && m.count)
    {
        w.nids = m.nids;
        w.count = m.count;
        w.flags = flags;
        if (!(w.changed = calloc( m.count, sizeof(*w.changed) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else if (SUCCEEDED(hr = store_logon_transact( logon, read_flags_write, &w )))
        {
            BOOL any = FALSE;

            for (i = 0; i < m.count; i++)
            {
                if (!w.changed[i]) continue;
                notify_add( &batch, fnevObjectModified, MAPI_MESSAGE, m.nids[i], folder->nid, 0, 0 );
                any = TRUE;
            }
            if (any) notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid,
                                 node_parent( logon->file, folder->nid ), 0, 0 );
        }
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( w.changed );
    free( m.nids );
    free( m.copies );
    if (SUCCEEDED(hr) && missing) hr = MAPI_W_PARTIAL_COMPLETION;
    return hr;
}

/* The status of message NID: its contents row, else the message itself. */
static HRESULT message_status( struct folder *folder, uint32_t nid, ULONG *status )
{
    struct store_logon *logon = folder->child.logon;
    uint32_t type = PST_NID_TYPE(nid) == PST_NID_TYPE_ASSOC_MESSAGE ? PST_NID_TYPE_ASSOC_CONTENTS_TABLE
                  : PST_NID_TYPE(folder->nid) == PST_NID_TYPE_SEARCH_FOLDER ? PST_NID_TYPE_SEARCH_CONTENTS_TABLE
                  : PST_NID_TYPE_CONTENTS_TABLE;
    struct pst_object *msg;
    struct pst_table *tc = NULL;
    struct pst_value value;
    uint32_t row;
    HRESULT hr = S_OK;
    int err;

    /* the status lives in the folder's contents row, not the message */
    if ((err = pst_table_open( logon->file, PST_NID_MAKE(PST_NID_INDEX(folder->nid), type), &tc ))
            || (err = pst_table_find_row( tc, nid, &row )))
        hr = err == PST_E_NOT_FOUND ? MAPI_E_NOT_FOUND : hresult_from_pst( err );
    else if (!(err = pst_table_get_cell( tc, row, PR_MSG_STATUS, &value ))) *status = value.u.l;
    else if (err != PST_E_NOT_FOUND) hr = hresult_from_pst( err );
    else if (!pst_message_open( logon->file, nid, &msg ))
    {
        /* a contents table without the column: the copy the message keeps */
        *status = pst_prop_get( msg, PR_MSG_STATUS, &value ) ? 0 : value.u.l;
        pst_object_close( msg );
    }
    else *status = 0;
    if (tc) pst_table_close( tc );
    return hr;
}

static HRESULT WINAPI folder_GetMessageStatus( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, ULONG flags,
                                               ULONG *status )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    uint8_t uid[16];
    uint32_t nid;
    HRESULT hr = S_OK;

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, entry_size, entry, flags, status );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!entry || !status) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (pst_entryid_parse( (const uint8_t *)entry, entry_size, uid, &nid )
             || memcmp( uid, logon->uid, sizeof(uid) )) hr = MAPI_E_INVALID_ENTRYID;
    else if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        hr = MAPI_E_INVALID_ENTRYID;
    else hr = message_status( folder, nid, status );
    folder_leave( folder );
    return hr;
}

struct status_write
{
    uint32_t nid;
    LONG status;
};

static int status_write( struct pst_file *file, void *context )
{
    struct status_write *w = context;
    struct pst_value value;

    memset( &value, 0, sizeof(value) );
    value.tag = PR_MSG_STATUS;
    value.type = PT_LONG;
    value.u.l = w->status;
    /* the engine mirrors it into the contents row */
    return pst_message_set_props( file, w->nid, &(struct pst_propset){ &value, 1 }, NULL, 0 );
}

static HRESULT WINAPI folder_SetMessageStatus( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, ULONG status,
                                               ULONG mask, ULONG *old_status )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct notify_batch batch;
    struct status_write w;
    ULONG old = 0;
    uint8_t uid[16];
    uint32_t nid;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %#lx, %p.\n", iface, entry_size, entry, status, mask, old_status );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!entry) return MAPI_E_INVALID_PARAMETER;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (pst_entryid_parse( (const uint8_t *)entry, entry_size, uid, &nid ) || memcmp( uid, logon->uid, 16 )
             || (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE))
        hr = MAPI_E_INVALID_ENTRYID;
    else if (node_parent( logon->file, nid ) != folder->nid) hr = MAPI_E_NOT_FOUND;
    else if (SUCCEEDED(hr = message_status( folder, nid, &old )))
    {
        w.nid = nid;
        w.status = (old & ~mask) | (status & mask);
        if (w.status != old && SUCCEEDED(hr = store_logon_transact( logon, status_write, &w )))
            notify_add( &batch, fnevObjectModified, MAPI_MESSAGE, nid, folder->nid, 0, 0 );
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    if (SUCCEEDED(hr) && old_status) *old_status = old;
    return hr;
}

static HRESULT WINAPI folder_SaveContentsSort( IMAPIFolder *iface, SSortOrderSet *sort, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    BOOL writable;

    TRACE( "%p, %p, %#lx.\n", iface, sort, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    writable = folder->child.logon->writable;
    folder_leave( folder );
    if (!sort) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(RECURSIVE_SORT)) return MAPI_E_UNKNOWN_FLAGS;
    if (!writable) return MAPI_E_NO_ACCESS;
    /* a PST keeps no default sort order a client could read back (it is
     * Outlook's view settings in FAI messages): documented as optional */
    return MAPI_E_NO_SUPPORT;
}

/* EmptyFolder */
struct empty_write
{
    uint32_t *messages, *folders;
    uint32_t message_count, folder_count;
};

static int empty_write( struct pst_file *file, void *context )
{
    struct empty_write *w = context;
    uint32_t i;
    int err = PST_OK;

    for (i = 0; i < w->message_count && !err; i++) err = pst_message_delete( file, w->messages[i] );
    for (i = 0; i < w->folder_count && !err; i++) err = pst_folder_delete( file, w->folders[i] );
    return err;
}

static HRESULT WINAPI folder_EmptyFolder( IMAPIFolder *iface, ULONG ui_param, IMAPIProgress *progress,
                                          ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct empty_write w = { 0 };
    struct notify_batch batch;
    uint32_t *assoc = NULL, assoc_count = 0, *all, i;
    HRESULT hr = S_OK;
    int err = PST_OK;

    TRACE( "%p, %#lx, %p, %#lx.\n", iface, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (flags & ~(DEL_ASSOCIATED | FOLDER_DIALOG | DELETE_HARD_DELETE)) return MAPI_E_UNKNOWN_FLAGS;

    notify_init( &batch, logon );
    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (!folder->obj) hr = MAPI_E_OBJECT_DELETED;
    else if (PST_NID_TYPE(folder->nid) != PST_NID_TYPE_NORMAL_FOLDER) hr = MAPI_E_NO_SUPPORT;
    else if ((err = table_nids( logon->file, folder->nid, PST_NID_TYPE_CONTENTS_TABLE, &w.messages, &w.message_count ))
             || ((flags & DEL_ASSOCIATED)
                 && (err = table_nids( logon->file, folder->nid, PST_NID_TYPE_ASSOC_CONTENTS_TABLE, &assoc, &assoc_count )))
             || (err = table_nids( logon->file, folder->nid, PST_NID_TYPE_HIERARCHY_TABLE, &w.folders, &w.folder_count )))
        hr = hresult_from_pst( err );
    else if (assoc_count && !(all = realloc( w.messages, (w.message_count + assoc_count) * sizeof(*all) )))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else
    {
        if (assoc_count)
        {
            memcpy( all + w.message_count, assoc, assoc_count * sizeof(*all) );
            w.messages = all;
            w.message_count += assoc_count;
        }
        if ((w.message_count || w.folder_count) && SUCCEEDED(hr = store_logon_transact( logon, empty_write, &w )))
        {
            for (i = 0; i < w.message_count; i++)
                notify_add( &batch, fnevObjectDeleted, MAPI_MESSAGE, w.messages[i], folder->nid, 0, 0 );
            for (i = 0; i < w.folder_count; i++)
                notify_add( &batch, fnevObjectDeleted, MAPI_FOLDER, w.folders[i], folder->nid, 0, 0 );
            notify_add( &batch, fnevObjectModified, MAPI_FOLDER, folder->nid, node_parent( logon->file, folder->nid ),
                        0, 0 );
        }
    }
    notify_prepare( &batch );
    folder_leave( folder );
    folder_after_commit( folder, &batch );
    free( w.messages );
    free( w.folders );
    free( assoc );
    return hr;
}

static const IMAPIFolderVtbl folder_vtbl =
{
    folder_QueryInterface,
    folder_AddRef,
    folder_Release,
    folder_GetLastError,
    folder_SaveChanges,
    folder_GetProps,
    folder_GetPropList,
    folder_OpenProperty,
    folder_SetProps,
    folder_DeleteProps,
    folder_CopyTo,
    folder_CopyProps,
    folder_GetNamesFromIDs,
    folder_GetIDsFromNames,
    folder_GetContentsTable,
    folder_GetHierarchyTable,
    folder_OpenEntry,
    folder_SetSearchCriteria,
    folder_GetSearchCriteria,
    folder_CreateMessage,
    folder_CopyMessages,
    folder_DeleteMessages,
    folder_CreateFolder,
    folder_CopyFolder,
    folder_DeleteFolder,
    folder_SetReadFlags,
    folder_GetMessageStatus,
    folder_SetMessageStatus,
    folder_SaveContentsSort,
    folder_EmptyFolder,
};

HRESULT folder_open( struct store_logon *logon, uint32_t nid, ULONG flags, IMAPIFolder **out )
{
    struct folder *folder;
    int err;

    if (!(folder = calloc( 1, sizeof(*folder) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if ((err = pst_folder_open( logon->file, nid, &folder->obj )))
    {
        free( folder );
        return hresult_from_pst( err );
    }
    folder->IMAPIFolder_iface.lpVtbl = &folder_vtbl;
    folder->refcount = 1;
    folder->nid = nid;
    folder->generation = logon->generation;
    store_child_init( &folder->child, logon, folder_invalidate );
    TRACE( "opened folder %#x as %p.\n", nid, folder );
    *out = &folder->IMAPIFolder_iface;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* opening entries (imsgstore-openentry.md, imslogon-openentry.md)      */

#define OPEN_ENTRY_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS | SHOW_SOFT_DELETES | MAPI_NO_CACHE \
                          | 0x00000400 /* MAPI_CACHE_ONLY */)

HRESULT logon_open_entry( struct store_logon *logon, ULONG entry_size, const ENTRYID *entry, uint32_t default_nid,
                          const IID *iid, ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    uint8_t uid[16];
    uint32_t nid;
    HRESULT hr;

    if (!obj_type || !unk) return MAPI_E_INVALID_PARAMETER;
    *unk = NULL;
    if (flags & ~OPEN_ENTRY_FLAGS) return MAPI_E_UNKNOWN_FLAGS;

    if (!entry)
    {
        if (entry_size) return MAPI_E_INVALID_PARAMETER;
        nid = default_nid ? default_nid : PST_NID_ROOT_FOLDER;
    }
    else
    {
        if (pst_entryid_parse( (const uint8_t *)entry, entry_size, uid, &nid )) return MAPI_E_INVALID_ENTRYID;
        if (memcmp( uid, logon->uid, sizeof(uid) )) return MAPI_E_INVALID_ENTRYID;
    }

    /* MAPI_MODIFY asks for write access, which a read-only store refuses;
     * MAPI_BEST_ACCESS settles for reading */
    switch (PST_NID_TYPE(nid))
    {
    case PST_NID_TYPE_NORMAL_FOLDER:
    case PST_NID_TYPE_SEARCH_FOLDER:
        if (iid && !IsEqualGUID( iid, &IID_IMAPIFolder ) && !IsEqualGUID( iid, &IID_IMAPIContainer )
                && !IsEqualGUID( iid, &IID_IMAPIProp ) && !IsEqualGUID( iid, &IID_IUnknown ))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS) && !logon->writable) return MAPI_E_NO_ACCESS;
        if (FAILED(hr = folder_open( logon, nid, flags, (IMAPIFolder **)unk ))) return hr;
        *obj_type = MAPI_FOLDER;
        return S_OK;
    case PST_NID_TYPE_NORMAL_MESSAGE:
    case PST_NID_TYPE_ASSOC_MESSAGE:
        if (iid && !IsEqualGUID( iid, &IID_IMessage ) && !IsEqualGUID( iid, &IID_IMAPIProp )
                && !IsEqualGUID( iid, &IID_IUnknown ))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS) && !logon->writable) return MAPI_E_NO_ACCESS;
        if (FAILED(hr = message_open( logon, nid, flags, (IMessage **)unk ))) return hr;
        *obj_type = MAPI_MESSAGE;
        return S_OK;
    }
    return MAPI_E_INVALID_ENTRYID;
}
