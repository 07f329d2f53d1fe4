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
 * Folders are read from the file; stores are opened read-only until the
 * engine can write, so every method that would change something checks
 * its arguments and answers MAPI_E_NO_ACCESS.
 *
 * TABLES  A hierarchy or contents table is a snapshot: the rows of the
 * folder's table context (TC) plus computed columns, loaded into a
 * winemapix ITableData (TBLTYPE_SNAPSHOT, keyed by PR_INSTANCE_KEY, the
 * row's 4-byte NID) when the client asks for the table.  The client gets a
 * wrapper (struct table_view) that is a store child: every call is
 * forwarded to the ITableData's view while the logon lives; when it dies,
 * the wrapper drops the view and the data at once (their memory goes) and
 * answers MAPI_E_INVALID_OBJECT from then on.
 */

#include "winepst_private.h"
#include "mapiguid.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* MAPI constants missing from Wine's headers */
#ifndef CONVENIENT_DEPTH
#define CONVENIENT_DEPTH        0x00000001
#endif
#ifndef SHOW_SOFT_DELETES
#define SHOW_SOFT_DELETES       0x00000002
#endif
#ifndef MAPI_ASSOCIATED
#define MAPI_ASSOCIATED         0x00000040
#endif
#ifndef MAPI_NO_CACHE
#define MAPI_NO_CACHE           0x00000200
#endif
#ifndef FOLDER_ROOT
#define FOLDER_ROOT             0
#define FOLDER_GENERIC          1
#define FOLDER_SEARCH           2
#endif
#ifndef DT_FOLDER
#define DT_FOLDER               0x01000000
#endif
#ifndef MESSAGE_MOVE
#define MESSAGE_MOVE            0x00000001
#define MESSAGE_DIALOG          0x00000002
#endif
#ifndef FOLDER_MOVE
#define FOLDER_MOVE             0x00000001
#define FOLDER_DIALOG           0x00000002
#endif
#ifndef OPEN_IF_EXISTS
#define OPEN_IF_EXISTS          0x00000001
#endif
#ifndef COPY_SUBFOLDERS
#define COPY_SUBFOLDERS         0x00000010
#endif
#ifndef DEL_FOLDERS
#define DEL_FOLDERS             0x00000004
#define DEL_MESSAGES            0x00000008
#endif
#ifndef DEL_ASSOCIATED
#define DEL_ASSOCIATED          0x00000008
#endif
#ifndef DELETE_HARD_DELETE
#define DELETE_HARD_DELETE      0x00000010
#endif
#ifndef RECURSIVE_SORT
#define RECURSIVE_SORT          0x00000002
#endif
#ifndef SUPPRESS_RECEIPT
#define SUPPRESS_RECEIPT        0x00000001
#define CLEAR_READ_FLAG         0x00000004
#define GENERATE_RECEIPT_ONLY   0x00000010
#define CLEAR_RN_PENDING        0x00000020
#define CLEAR_NRN_PENDING       0x00000040
#endif

/* The TC's own bookkeeping columns are not properties of the rows */
#define IS_LTP_COLUMN(tag) (PROP_ID(tag) == 0x67f2 || PROP_ID(tag) == 0x67f3)
/* Corrupt files must not make CONVENIENT_DEPTH recurse without end */
#define MAX_HIERARCHY_DEPTH 64

/* ------------------------------------------------------------------ */
/* table views                                                          */

struct table_view
{
    IMAPITable IMAPITable_iface;
    LONG refcount;
    struct store_child child;
    ITableData *data;          /* NULL once the logon died */
    IMAPITable *view;
};

static inline struct table_view *impl_from_IMAPITable( IMAPITable *iface )
{
    return CONTAINING_RECORD( iface, struct table_view, IMAPITable_iface );
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

/* The inner view with a reference of the caller's, or NULL when dead. */
static IMAPITable *table_view_get( struct table_view *table )
{
    IMAPITable *view;

    if (!store_child_enter( &table->child )) return NULL;
    view = table->view;
    IMAPITable_AddRef( view );
    store_child_leave( &table->child );
    return view;
}

static HRESULT WINAPI table_view_QueryInterface( IMAPITable *iface, REFIID riid, void **out )
{
    struct table_view *table = impl_from_IMAPITable( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPITable ))
    {
        *out = &table->IMAPITable_iface;
        IMAPITable_AddRef( &table->IMAPITable_iface );
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
        free( table );
    }
    return refcount;
}

/* Forwards a call to the live view. */
#define FORWARD(call) \
    do { \
        IMAPITable *view; \
        HRESULT hr; \
        if (!(view = table_view_get( impl_from_IMAPITable( iface ) ))) return MAPI_E_INVALID_OBJECT; \
        hr = call; \
        IMAPITable_Release( view ); \
        return hr; \
    } while (0)

static HRESULT WINAPI table_view_GetLastError( IMAPITable *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );
    FORWARD( IMAPITable_GetLastError( view, result, flags, error ) );
}

static HRESULT WINAPI table_view_Advise( IMAPITable *iface, ULONG mask, IMAPIAdviseSink *sink, ULONG *connection )
{
    TRACE( "%p, %#lx, %p, %p.\n", iface, mask, sink, connection );
    FORWARD( IMAPITable_Advise( view, mask, sink, connection ) );
}

static HRESULT WINAPI table_view_Unadvise( IMAPITable *iface, ULONG connection )
{
    TRACE( "%p, %lu.\n", iface, connection );
    FORWARD( IMAPITable_Unadvise( view, connection ) );
}

static HRESULT WINAPI table_view_GetStatus( IMAPITable *iface, ULONG *status, ULONG *type )
{
    TRACE( "%p, %p, %p.\n", iface, status, type );
    FORWARD( IMAPITable_GetStatus( view, status, type ) );
}

static HRESULT WINAPI table_view_SetColumns( IMAPITable *iface, SPropTagArray *columns, ULONG flags )
{
    TRACE( "%p, %p, %#lx.\n", iface, columns, flags );
    FORWARD( IMAPITable_SetColumns( view, columns, flags ) );
}

static HRESULT WINAPI table_view_QueryColumns( IMAPITable *iface, ULONG flags, SPropTagArray **columns )
{
    TRACE( "%p, %#lx, %p.\n", iface, flags, columns );
    FORWARD( IMAPITable_QueryColumns( view, flags, columns ) );
}

static HRESULT WINAPI table_view_GetRowCount( IMAPITable *iface, ULONG flags, ULONG *count )
{
    TRACE( "%p, %#lx, %p.\n", iface, flags, count );
    FORWARD( IMAPITable_GetRowCount( view, flags, count ) );
}

static HRESULT WINAPI table_view_SeekRow( IMAPITable *iface, BOOKMARK origin, LONG rows, LONG *sought )
{
    TRACE( "%p, %#Ix, %ld, %p.\n", iface, (ULONG_PTR)origin, rows, sought );
    FORWARD( view->lpVtbl->SeekRow( view, origin, rows, sought ) );
}

static HRESULT WINAPI table_view_SeekRowApprox( IMAPITable *iface, ULONG numerator, ULONG denominator )
{
    TRACE( "%p, %lu, %lu.\n", iface, numerator, denominator );
    FORWARD( IMAPITable_SeekRowApprox( view, numerator, denominator ) );
}

static HRESULT WINAPI table_view_QueryPosition( IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator )
{
    TRACE( "%p, %p, %p, %p.\n", iface, row, numerator, denominator );
    FORWARD( view->lpVtbl->QueryPosition( view, row, numerator, denominator ) );
}

static HRESULT WINAPI table_view_FindRow( IMAPITable *iface, SRestriction *res, BOOKMARK origin, ULONG flags )
{
    TRACE( "%p, %p, %#Ix, %#lx.\n", iface, res, (ULONG_PTR)origin, flags );
    FORWARD( IMAPITable_FindRow( view, res, origin, flags ) );
}

static HRESULT WINAPI table_view_Restrict( IMAPITable *iface, SRestriction *res, ULONG flags )
{
    TRACE( "%p, %p, %#lx.\n", iface, res, flags );
    FORWARD( view->lpVtbl->Restrict( view, res, flags ) );
}

static HRESULT WINAPI table_view_CreateBookmark( IMAPITable *iface, BOOKMARK *bookmark )
{
    TRACE( "%p, %p.\n", iface, bookmark );
    FORWARD( IMAPITable_CreateBookmark( view, bookmark ) );
}

static HRESULT WINAPI table_view_FreeBookmark( IMAPITable *iface, BOOKMARK bookmark )
{
    TRACE( "%p, %#Ix.\n", iface, (ULONG_PTR)bookmark );
    FORWARD( IMAPITable_FreeBookmark( view, bookmark ) );
}

static HRESULT WINAPI table_view_SortTable( IMAPITable *iface, SSortOrderSet *sort, ULONG flags )
{
    TRACE( "%p, %p, %#lx.\n", iface, sort, flags );
    FORWARD( IMAPITable_SortTable( view, sort, flags ) );
}

static HRESULT WINAPI table_view_QuerySortOrder( IMAPITable *iface, SSortOrderSet **sort )
{
    TRACE( "%p, %p.\n", iface, sort );
    FORWARD( IMAPITable_QuerySortOrder( view, sort ) );
}

static HRESULT WINAPI table_view_QueryRows( IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows )
{
    TRACE( "%p, %ld, %#lx, %p.\n", iface, count, flags, rows );
    FORWARD( IMAPITable_QueryRows( view, count, flags, rows ) );
}

static HRESULT WINAPI table_view_Abort( IMAPITable *iface )
{
    TRACE( "%p.\n", iface );
    FORWARD( IMAPITable_Abort( view ) );
}

static HRESULT WINAPI table_view_ExpandRow( IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count, ULONG flags,
                                            SRowSet **rows, ULONG *more )
{
    TRACE( "%p, %lu, %p, %lu, %#lx, %p, %p.\n", iface, key_size, key, count, flags, rows, more );
    FORWARD( IMAPITable_ExpandRow( view, key_size, key, count, flags, rows, more ) );
}

static HRESULT WINAPI table_view_CollapseRow( IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags,
                                              ULONG *count )
{
    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, key_size, key, flags, count );
    FORWARD( IMAPITable_CollapseRow( view, key_size, key, flags, count ) );
}

static HRESULT WINAPI table_view_WaitForCompletion( IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status )
{
    TRACE( "%p, %#lx, %lu, %p.\n", iface, flags, timeout, status );
    FORWARD( IMAPITable_WaitForCompletion( view, flags, timeout, status ) );
}

static HRESULT WINAPI table_view_GetCollapseState( IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                                   ULONG *state_size, BYTE **state )
{
    TRACE( "%p, %#lx, %lu, %p, %p, %p.\n", iface, flags, key_size, key, state_size, state );
    FORWARD( IMAPITable_GetCollapseState( view, flags, key_size, key, state_size, state ) );
}

static HRESULT WINAPI table_view_SetCollapseState( IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
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
    table_view_GetLastError,
    table_view_Advise,
    table_view_Unadvise,
    table_view_GetStatus,
    table_view_SetColumns,
    table_view_QueryColumns,
    table_view_GetRowCount,
    table_view_SeekRow,
    table_view_SeekRowApprox,
    table_view_QueryPosition,
    table_view_FindRow,
    table_view_Restrict,
    table_view_CreateBookmark,
    table_view_FreeBookmark,
    table_view_SortTable,
    table_view_QuerySortOrder,
    table_view_QueryRows,
    table_view_Abort,
    table_view_ExpandRow,
    table_view_CollapseRow,
    table_view_WaitForCompletion,
    table_view_GetCollapseState,
    table_view_SetCollapseState,
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
    table->IMAPITable_iface.lpVtbl = &table_view_vtbl;
    table->refcount = 1;
    table->view = view;
    table->data = data;
    ITableData_AddRef( data );
    store_child_init( &table->child, logon, table_view_invalidate );
    *out = &table->IMAPITable_iface;
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
    if (FAILED(hr = b->logon->alloc.allocate_buffer( (count + 10) * sizeof(SPropValue), (void **)&props )))
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
        if (PROP_TYPE(props[n].ulPropTag) != PT_ERROR) n++;
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
    struct pst_object *obj;    /* the folder's PC, closed when the logon dies */
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

static BOOL folder_enter( struct folder *folder )
{
    return store_child_enter( &folder->child );
}

static void folder_leave( struct folder *folder )
{
    store_child_leave( &folder->child );
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

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    /* folders are not transacted; there is nothing read-only can save */
    return MAPI_E_NO_ACCESS;
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
    /* read-only store: reading is all anyone may do */
    set_long( &props[n++], PR_ACCESS, MAPI_ACCESS_READ );
    set_long( &props[n++], PR_ACCESS_LEVEL, 0 );
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

static HRESULT WINAPI folder_SetProps( IMAPIFolder *iface, ULONG count, SPropValue *props,
                                       SPropProblemArray **problems )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!props) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_DeleteProps( IMAPIFolder *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_CopyTo( IMAPIFolder *iface, ULONG exclude_count, const IID *exclude_iids,
                                     SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                     const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!iid || !dest) return MAPI_E_INVALID_PARAMETER;
    /* copying out needs the destination's writer; MAPI's support object
     * (DoCopyTo) is the general implementation */
    FIXME( "copying folders is not implemented.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_CopyProps( IMAPIFolder *iface, SPropTagArray *include, ULONG ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include, ui_param, progress, debugstr_guid(iid),
           dest, flags, problems );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!include || !iid || !dest) return MAPI_E_INVALID_PARAMETER;
    FIXME( "copying folder properties is not implemented.\n" );
    return MAPI_E_NO_SUPPORT;
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

/* Builds a hierarchy or contents table of the folder. */
static HRESULT folder_get_table( struct folder *folder, BOOL hierarchy, ULONG flags, IMAPITable **out )
{
    static const ULONG hierarchy_tags[] = { PR_ENTRYID, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_RECORD_KEY,
                                            PR_STORE_ENTRYID, PR_OBJECT_TYPE, PR_RECORD_KEY, PR_DEPTH,
                                            PR_FOLDER_TYPE };
    static const ULONG contents_tags[] = { PR_ENTRYID, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_RECORD_KEY,
                                           PR_STORE_ENTRYID, PR_OBJECT_TYPE };
    struct store_logon *logon = folder->child.logon;
    struct table_builder b = { logon };
    BYTE buffer[CbNewSPropTagArray(16)];
    SPropTagArray *extra = (SPropTagArray *)buffer;
    struct pst_table *tc = NULL;
    ENTRYID *store_entryid = NULL;
    ULONG store_entryid_size = 0;
    uint32_t tc_nid;
    HRESULT hr;
    int err;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = store_wrapped_entryid( logon, &store_entryid_size, &store_entryid ))) return hr;

    if (hierarchy)
    {
        extra->cValues = ARRAY_SIZE(hierarchy_tags);
        memcpy( extra->aulPropTag, hierarchy_tags, sizeof(hierarchy_tags) );
        tc_nid = PST_NID_MAKE(PST_NID_INDEX(folder->nid), PST_NID_TYPE_HIERARCHY_TABLE);
    }
    else
    {
        extra->cValues = ARRAY_SIZE(contents_tags);
        memcpy( extra->aulPropTag, contents_tags, sizeof(contents_tags) );
        if (PST_NID_TYPE(folder->nid) == PST_NID_TYPE_SEARCH_FOLDER)
            tc_nid = (flags & MAPI_ASSOCIATED) ? 0 : PST_NID_MAKE(PST_NID_INDEX(folder->nid),
                                                                  PST_NID_TYPE_SEARCH_CONTENTS_TABLE);
        else tc_nid = PST_NID_MAKE(PST_NID_INDEX(folder->nid), (flags & MAPI_ASSOCIATED)
                                   ? PST_NID_TYPE_ASSOC_CONTENTS_TABLE : PST_NID_TYPE_CONTENTS_TABLE);
    }

    if (!folder_enter( folder ))
    {
        logon->alloc.free_buffer( store_entryid );
        return MAPI_E_INVALID_OBJECT;
    }
    if (tc_nid && (err = pst_table_open( logon->file, tc_nid, &tc )) && err != PST_E_NOT_FOUND)
    {
        hr = hresult_from_pst( err );
        goto done;
    }
    if (FAILED(hr = table_create( logon, extra, tc, !!(flags & MAPI_UNICODE), &b.data ))) goto done;
    b.unicode = !!(flags & MAPI_UNICODE);
    b.store_entryid = store_entryid;
    b.store_entryid_size = store_entryid_size;
    b.folder_nid = folder->nid;
    b.hierarchy = hierarchy;
    b.object_type = hierarchy ? MAPI_FOLDER : MAPI_MESSAGE;
    if (tc)
    {
        if (hierarchy) hr = add_rows( &b, folder->nid, (flags & CONVENIENT_DEPTH) ? 0 : -1 );
        else
        {
            uint32_t row, count = pst_table_row_count( tc ), nid;

            for (row = 0; row < count && SUCCEEDED(hr); row++)
                hr = add_row( &b, tc, row, folder->nid, 0, &nid );
        }
    }
    if (SUCCEEDED(hr)) hr = table_view_create( logon, b.data, out );
    ITableData_Release( b.data );

done:
    if (tc) pst_table_close( tc );
    folder_leave( folder );
    logon->alloc.free_buffer( store_entryid );
    return hr;
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

    TRACE( "%p, %s, %#lx, %p.\n", iface, debugstr_guid(iid), flags, message );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!message) return MAPI_E_INVALID_PARAMETER;
    *message = NULL;
    if (flags & ~(MAPI_DEFERRED_ERRORS | MAPI_ASSOCIATED)) return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualGUID( iid, &IID_IMessage ) && !IsEqualGUID( iid, &IID_IMAPIProp )
            && !IsEqualGUID( iid, &IID_IUnknown )) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_CopyMessages( IMAPIFolder *iface, ENTRYLIST *list, const IID *iid, void *dest,
                                           ULONG ui_param, IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %s, %p, %#lx, %p, %#lx.\n", iface, list, debugstr_guid(iid), dest, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!list || !dest) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK)) return MAPI_E_UNKNOWN_FLAGS;
    /* copying adds to the destination, moving deletes here: both write */
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_DeleteMessages( IMAPIFolder *iface, ENTRYLIST *list, ULONG ui_param,
                                             IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %#lx, %p, %#lx.\n", iface, list, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!list) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MESSAGE_DIALOG | DELETE_HARD_DELETE)) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_CreateFolder( IMAPIFolder *iface, ULONG type, LPSTR name, LPSTR comment,
                                           const IID *iid, ULONG flags, IMAPIFolder *out_arg )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    /* Wine's header misdeclares the out parameter */
    IMAPIFolder **out = (IMAPIFolder **)out_arg;

    TRACE( "%p, %lu, %p, %p, %s, %#lx, %p.\n", iface, type, name, comment, debugstr_guid(iid), flags, out );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!name || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(MAPI_UNICODE | OPEN_IF_EXISTS | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (type != FOLDER_GENERIC && type != FOLDER_SEARCH) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_CopyFolder( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                         void *dest, LPSTR name, ULONG ui_param, IMAPIProgress *progress,
                                         ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %lu, %p, %s, %p, %p, %#lx, %p, %#lx.\n", iface, entry_size, entry, debugstr_guid(iid), dest, name,
           ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!entry || !dest) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(FOLDER_MOVE | FOLDER_DIALOG | COPY_SUBFOLDERS | MAPI_UNICODE | MAPI_DECLINE_OK))
        return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_DeleteFolder( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry,
                                           ULONG ui_param, IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %lu, %p, %#lx, %p, %#lx.\n", iface, entry_size, entry, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!entry) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG | DELETE_HARD_DELETE)) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_SetReadFlags( IMAPIFolder *iface, ENTRYLIST *list, ULONG ui_param,
                                           IMAPIProgress *progress, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %#lx, %p, %#lx.\n", iface, list, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (flags & ~(SUPPRESS_RECEIPT | FOLDER_DIALOG | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY
                  | CLEAR_RN_PENDING | CLEAR_NRN_PENDING)) return MAPI_E_UNKNOWN_FLAGS;
    /* the documented combinations that cannot go together */
    if ((flags & SUPPRESS_RECEIPT) && (flags & GENERATE_RECEIPT_ONLY)) return MAPI_E_INVALID_PARAMETER;
    if ((flags & CLEAR_READ_FLAG) && (flags & (SUPPRESS_RECEIPT | GENERATE_RECEIPT_ONLY)))
        return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_GetMessageStatus( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, ULONG flags,
                                               ULONG *status )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );
    struct store_logon *logon = folder->child.logon;
    struct pst_table *tc = NULL;
    struct pst_value value;
    uint8_t uid[16];
    uint32_t nid, row;
    HRESULT hr = S_OK;
    int err;

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, entry_size, entry, flags, status );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    if (!entry || !status) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (pst_entryid_parse( (const uint8_t *)entry, entry_size, uid, &nid )
             || memcmp( uid, logon->uid, sizeof(uid) )) hr = MAPI_E_INVALID_ENTRYID;
    else if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        hr = MAPI_E_INVALID_ENTRYID;
    else
    {
        uint32_t type = PST_NID_TYPE(nid) == PST_NID_TYPE_ASSOC_MESSAGE ? PST_NID_TYPE_ASSOC_CONTENTS_TABLE
                      : PST_NID_TYPE(folder->nid) == PST_NID_TYPE_SEARCH_FOLDER ? PST_NID_TYPE_SEARCH_CONTENTS_TABLE
                      : PST_NID_TYPE_CONTENTS_TABLE;

        /* the status lives in the folder's contents row, not the message */
        if ((err = pst_table_open( logon->file, PST_NID_MAKE(PST_NID_INDEX(folder->nid), type), &tc ))
                || (err = pst_table_find_row( tc, nid, &row )))
            hr = err == PST_E_NOT_FOUND ? MAPI_E_NOT_FOUND : hresult_from_pst( err );
        else if (!(err = pst_table_get_cell( tc, row, PR_MSG_STATUS, &value ))) *status = value.u.l;
        else if (err == PST_E_NOT_FOUND) *status = 0;
        else hr = hresult_from_pst( err );
        if (tc) pst_table_close( tc );
    }
    folder_leave( folder );
    return hr;
}

static HRESULT WINAPI folder_SetMessageStatus( IMAPIFolder *iface, ULONG entry_size, ENTRYID *entry, ULONG status,
                                               ULONG mask, ULONG *old_status )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %lu, %p, %#lx, %#lx, %p.\n", iface, entry_size, entry, status, mask, old_status );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!entry) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_SaveContentsSort( IMAPIFolder *iface, SSortOrderSet *sort, ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %p, %#lx.\n", iface, sort, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (!sort) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(RECURSIVE_SORT)) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI folder_EmptyFolder( IMAPIFolder *iface, ULONG ui_param, IMAPIProgress *progress,
                                          ULONG flags )
{
    struct folder *folder = impl_from_IMAPIFolder( iface );

    TRACE( "%p, %#lx, %p, %#lx.\n", iface, ui_param, progress, flags );

    if (!folder_enter( folder )) return MAPI_E_INVALID_OBJECT;
    folder_leave( folder );
    if (flags & ~(DEL_ASSOCIATED | FOLDER_DIALOG | DELETE_HARD_DELETE)) return MAPI_E_UNKNOWN_FLAGS;
    return MAPI_E_NO_ACCESS;
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
        if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS)) return MAPI_E_NO_ACCESS;
        if (FAILED(hr = folder_open( logon, nid, flags, (IMAPIFolder **)unk ))) return hr;
        *obj_type = MAPI_FOLDER;
        return S_OK;
    case PST_NID_TYPE_NORMAL_MESSAGE:
    case PST_NID_TYPE_ASSOC_MESSAGE:
        if (iid && !IsEqualGUID( iid, &IID_IMessage ) && !IsEqualGUID( iid, &IID_IMAPIProp )
                && !IsEqualGUID( iid, &IID_IUnknown ))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS)) return MAPI_E_NO_ACCESS;
        if (FAILED(hr = message_open( logon, nid, flags, (IMessage **)unk ))) return hr;
        *obj_type = MAPI_MESSAGE;
        return S_OK;
    }
    return MAPI_E_INVALID_ENTRYID;
}
