/*
 * winepst tests: writing through folders (IMAPIFolder) and notifications
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

#include "winepst_test.h"

/* Wine's IMAPIFolder_DeleteFolder macro calls CreateFolder: use the vtbl */
#define PST_ENTRYID_SIZE 24

/* Facts of pstsdk_sample1.pst (SOURCES.md, readpst): the IPM subtree holds
 * Deleted Items and Sample1; Sample1 holds one message. */
static const WCHAR sample_folder[] = L"Sample1";

/* ------------------------------------------------------------------ */
/* MAPI's notification engine, as far as the provider sees it           */

struct subscription
{
    BYTE key[64];
    ULONG key_size;
    ULONG mask;
    IMAPIAdviseSink *sink;
};

static struct subscription subscriptions[8];
static ULONG subscription_count;

static HRESULT WINAPI notify_Subscribe( IMAPISupport *iface, NOTIFKEY *key, ULONG mask, ULONG flags,
                                        IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    struct subscription *s = &subscriptions[subscription_count];

    ok( subscription_count < ARRAY_SIZE(subscriptions) && key->cb <= sizeof(s->key), "too many subscriptions.\n" );
    memcpy( s->key, key->ab, key->cb );
    s->key_size = key->cb;
    s->mask = mask;
    s->sink = sink;
    IMAPIAdviseSink_AddRef( sink );
    *connection = ++subscription_count;
    return S_OK;
}

static HRESULT WINAPI notify_Unsubscribe( IMAPISupport *iface, ULONG_PTR connection )
{
    ok( connection && connection <= subscription_count, "connection %Iu.\n", connection );
    if (subscriptions[connection - 1].sink) IMAPIAdviseSink_Release( subscriptions[connection - 1].sink );
    subscriptions[connection - 1].sink = NULL;
    return S_OK;
}

/* Delivers to every sink subscribed with exactly this key. */
static HRESULT WINAPI notify_Notify( IMAPISupport *iface, NOTIFKEY *key, ULONG count, NOTIFICATION *notifications,
                                     ULONG *flags )
{
    ULONG i, j;

    for (i = 0; i < subscription_count; i++)
    {
        struct subscription *s = &subscriptions[i];

        if (!s->sink || s->key_size != key->cb || memcmp( s->key, key->ab, key->cb )) continue;
        for (j = 0; j < count; j++)
            if (s->mask & notifications[j].ulEventType) IMAPIAdviseSink_OnNotify( s->sink, 1, &notifications[j] );
    }
    return S_OK;
}

static IMAPISupportVtbl notify_support_vtbl;

/* An advise sink that records what it hears. */
struct sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    ULONG events[64];
    ULONG table_events[64];
    BYTE ids[64][PST_ENTRYID_SIZE];
    BYTE parents[64][PST_ENTRYID_SIZE];
    ULONG count;
};

static inline struct sink *impl_from_IMAPIAdviseSink( IMAPIAdviseSink *iface )
{
    return CONTAINING_RECORD( iface, struct sink, IMAPIAdviseSink_iface );
}

static HRESULT WINAPI sink_QueryInterface( IMAPIAdviseSink *iface, REFIID riid, void **out )
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef( IMAPIAdviseSink *iface )
{
    return InterlockedIncrement( &impl_from_IMAPIAdviseSink( iface )->refcount );
}

static ULONG WINAPI sink_Release( IMAPIAdviseSink *iface )
{
    return InterlockedDecrement( &impl_from_IMAPIAdviseSink( iface )->refcount );
}

static HRESULT WINAPI sink_OnNotify( IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications )
{
    struct sink *sink = impl_from_IMAPIAdviseSink( iface );
    ULONG i;

    for (i = 0; i < count && sink->count < ARRAY_SIZE(sink->events); i++)
    {
        NOTIFICATION *n = &notifications[i];

        sink->events[sink->count] = n->ulEventType;
        sink->table_events[sink->count] = n->ulEventType == fnevTableModified ? n->info.tab.ulTableEvent : 0;
        memset( sink->ids[sink->count], 0, PST_ENTRYID_SIZE );
        memset( sink->parents[sink->count], 0, PST_ENTRYID_SIZE );
        if (n->ulEventType != fnevTableModified)
        {
            if (n->info.obj.cbEntryID == PST_ENTRYID_SIZE)
                memcpy( sink->ids[sink->count], n->info.obj.lpEntryID, PST_ENTRYID_SIZE );
            if (n->info.obj.cbParentID == PST_ENTRYID_SIZE)
                memcpy( sink->parents[sink->count], n->info.obj.lpParentID, PST_ENTRYID_SIZE );
        }
        sink->count++;
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl = { sink_QueryInterface, sink_AddRef, sink_Release, sink_OnNotify };

static void init_sink( struct sink *sink )
{
    memset( sink, 0, sizeof(*sink) );
    sink->IMAPIAdviseSink_iface.lpVtbl = &sink_vtbl;
    sink->refcount = 1;
}

/* The index of the first EVENT the sink heard about ENTRY, or -1. */
static int sink_find( const struct sink *sink, ULONG event, const SBinary *entry )
{
    ULONG i;

    for (i = 0; i < sink->count; i++)
        if (sink->events[i] == event && (!entry || !memcmp( sink->ids[i], entry->lpb, PST_ENTRYID_SIZE )))
            return i;
    return -1;
}

static BOOL sink_has_table_event( const struct sink *sink, ULONG table_event )
{
    ULONG i;

    for (i = 0; i < sink->count; i++)
        if (sink->events[i] == fnevTableModified && sink->table_events[i] == table_event) return TRUE;
    return FALSE;
}

/* ------------------------------------------------------------------ */

/* Logs on to a copy of a sample as MAPI does, for writing. */
static BOOL open_writable( const char *name, struct test_store *ts )
{
    BYTE *security = NULL;
    ULONG security_size = 0;
    MAPIERROR *error = NULL;
    HRESULT hr;

    memset( ts, 0, sizeof(*ts) );
    if (!copy_sample( name, ts->path ))
    {
        skip( "sample %s is not available.\n", name );
        return FALSE;
    }
    ts->provider = create_provider();
    wcscpy( profile.path, ts->path );
    init_support( &ts->support );
    notify_support_vtbl = *ts->support.IMAPISupport_iface.lpVtbl;
    notify_support_vtbl.Subscribe = notify_Subscribe;
    notify_support_vtbl.Unsubscribe = notify_Unsubscribe;
    notify_support_vtbl.Notify = notify_Notify;
    ts->support.IMAPISupport_iface.lpVtbl = &notify_support_vtbl;
    subscription_count = 0;
    hr = IMSProvider_Logon( ts->provider, &ts->support.IMAPISupport_iface, 0, NULL, 0, NULL,
                            MDB_NO_DIALOG | MDB_WRITE | MAPI_UNICODE, NULL, &security_size, &security, &error,
                            &ts->ms_logon, &ts->store );
    if (error) test_free_buffer( error );
    if (SUCCEEDED(hr))
    {
        ts->support.logon = ts->ms_logon;
        IMSLogon_AddRef( ts->ms_logon );
    }
    IMAPISupport_Release( &ts->support.IMAPISupport_iface );
    call_log[0] = 0;
    if (hr == S_OK) return TRUE;
    win_skip( "stores cannot be opened for writing yet (%#lx).\n", hr );
    IMSProvider_Release( ts->provider );
    DeleteFileW( ts->path );
    return FALSE;
}

static void close_writable( struct test_store *ts, BOOL delete_file )
{
    ULONG i;

    IMsgStore_Release( ts->store );
    ok( !IMSLogon_Release( ts->ms_logon ), "the logon is still referenced.\n" );
    ok( !IMSProvider_Release( ts->provider ), "the provider is still referenced.\n" );
    for (i = 0; i < subscription_count; i++)
        if (subscriptions[i].sink) IMAPIAdviseSink_Release( subscriptions[i].sink );
    subscription_count = 0;
    if (delete_file) DeleteFileW( ts->path );
    call_log[0] = 0;
}

static IMAPIFolder *open_folder( IMsgStore *store, const SBinary *entry )
{
    IMAPIFolder *folder = NULL;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, entry ? entry->cb : 0, entry ? (ENTRYID *)entry->lpb : NULL, &IID_IMAPIFolder,
                              MAPI_BEST_ACCESS, &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    return folder;
}

static IMAPIFolder *open_ipm_subtree( IMsgStore *store, BYTE *buffer, SBinary *entry )
{
    SizedSPropTagArray(1, tags) = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    SPropValue *props = NULL;
    ULONG count;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, 0, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    memcpy( buffer, props[0].Value.bin.lpb, props[0].Value.bin.cb );
    entry->cb = props[0].Value.bin.cb;
    entry->lpb = buffer;
    test_free_buffer( props );
    return open_folder( store, entry );
}

static BOOL folder_entry( IMAPIFolder *folder, BYTE *buffer, SBinary *entry )
{
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    SPropValue *props = NULL;
    ULONG count;
    HRESULT hr;

    hr = IMAPIFolder_GetProps( folder, (SPropTagArray *)&tags, 0, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (hr != S_OK) return FALSE;
    memcpy( buffer, props[0].Value.bin.lpb, props[0].Value.bin.cb );
    entry->cb = props[0].Value.bin.cb;
    entry->lpb = buffer;
    test_free_buffer( props );
    return TRUE;
}

static LONG folder_long( IMAPIFolder *folder, ULONG tag )
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *props = NULL;
    ULONG count;
    LONG ret = -1;

    if (SUCCEEDED(IMAPIFolder_GetProps( folder, (SPropTagArray *)&tags, 0, &count, &props ))
            && props[0].ulPropTag == tag) ret = props[0].Value.l;
    test_free_buffer( props );
    return ret;
}

static BOOL folder_name_is( IMAPIFolder *folder, const WCHAR *name )
{
    SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *props = NULL;
    ULONG count;
    BOOL ret;

    IMAPIFolder_GetProps( folder, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ret = props && props[0].ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( props[0].Value.lpszW, name );
    test_free_buffer( props );
    return ret;
}

static ULONG table_rows( IMAPIFolder *folder, BOOL hierarchy )
{
    IMAPITable *table = NULL;
    ULONG count = ~0u;
    HRESULT hr;

    if (hierarchy) hr = IMAPIFolder_GetHierarchyTable( folder, 0, &table );
    else hr = IMAPIFolder_GetContentsTable( folder, 0, &table );
    ok( hr == S_OK, "getting the table returned %#lx.\n", hr );
    if (FAILED(hr)) return count;
    IMAPITable_GetRowCount( table, 0, &count );
    IMAPITable_Release( table );
    return count;
}

/* The subfolder of PARENT called NAME, or NULL. */
static IMAPIFolder *open_subfolder( IMsgStore *store, IMAPIFolder *parent, const WCHAR *name )
{
    IMAPITable *table = NULL;
    BYTE buffer[256];
    SBinary entry;
    HRESULT hr;

    hr = IMAPIFolder_GetHierarchyTable( parent, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    if (!find_row( table, PR_DISPLAY_NAME_W, name, PR_ENTRYID, &entry, buffer ))
    {
        IMAPITable_Release( table );
        return NULL;
    }
    IMAPITable_Release( table );
    return open_folder( store, &entry );
}

static void CALLBACK count_finding( void *ctx, const char *code, ULONGLONG offset, ULONG nid, ULONGLONG bid,
                                    const char *message )
{
    trace( "finding %s nid %#lx: %s\n", code, nid, message );
}

static HRESULT (WINAPI *pWinePstCheckFile)( const WCHAR *, void *, void *, void *, ULONG *, char *, DWORD );

static ULONG check_file( const WCHAR *path )
{
    char error[256];
    ULONG count = ~0u;
    HRESULT hr;

    if (!pWinePstCheckFile)
        pWinePstCheckFile = (void *)GetProcAddress( GetModuleHandleA( "winepst.dll" ), "WinePstCheckFile" );
    if (!pWinePstCheckFile) return ~0u;
    hr = pWinePstCheckFile( path, count_finding, NULL, NULL, &count, error, sizeof(error) );
    ok( hr == S_OK, "WinePstCheckFile returned %#lx (%s).\n", hr, error );
    return count;
}

static void test_read_only(void)
{
    struct test_store ts;
    IMAPIFolder *root, *created = NULL;
    SPropProblemArray *problems = NULL;
    SPropValue prop;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;
    root = open_folder( ts.store, NULL );
    hr = IMAPIFolder_CreateFolder( root, FOLDER_GENERIC, (char *)L"x", NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&created );
    ok( hr == MAPI_E_NO_ACCESS, "CreateFolder returned %#lx.\n", hr );
    prop.ulPropTag = PR_COMMENT_W;
    prop.Value.lpszW = (WCHAR *)L"x";
    hr = IMAPIFolder_SetProps( root, 1, &prop, &problems );
    ok( hr == MAPI_E_NO_ACCESS, "SetProps returned %#lx.\n", hr );
    hr = IMAPIFolder_SetMessageStatus( root, 24, (ENTRYID *)"012345678901234567890123", 1, 1, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "SetMessageStatus returned %#lx.\n", hr );
    IMAPIFolder_Release( root );
    close_test_store( &ts );
}

static void test_folders(void)
{
    IMAPIFolder *ipm, *a = NULL, *b = NULL, *again = NULL, *copy = NULL, *sample, *check;
    SizedSPropTagArray(1, del_tags) = { 1, { PR_COMMENT_W } };
    BYTE ipm_buf[256], a_buf[256], b_buf[256], msg_buf[256], copy_buf[256];
    SBinary ipm_entry, a_entry, b_entry, msg_entry, copy_entry;
    struct sink store_sink, table_sink;
    SPropProblemArray *problems = NULL;
    IMAPITable *hierarchy = NULL, *contents;
    ULONG connection, table_connection, rows, status;
    SPropValue props[3];
    ENTRYLIST list;
    SBinary bins[2];
    struct test_store ts;
    WCHAR path[MAX_PATH];
    HRESULT hr;

    if (!open_writable( "pstsdk_sample1.pst", &ts )) return;
    init_sink( &store_sink );
    init_sink( &table_sink );

    hr = IMsgStore_Advise( ts.store, 0, NULL, fnevObjectCreated | fnevObjectDeleted | fnevObjectModified
                           | fnevObjectMoved | fnevObjectCopied, &store_sink.IMAPIAdviseSink_iface, &connection );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    ipm = open_ipm_subtree( ts.store, ipm_buf, &ipm_entry );
    ok( ipm != NULL, "no IPM subtree.\n" );
    if (!ipm) goto done;
    ok( folder_long( ipm, PR_ACCESS ) & MAPI_ACCESS_CREATE_HIERARCHY, "PR_ACCESS %#lx.\n",
        folder_long( ipm, PR_ACCESS ) );

    hr = IMAPIFolder_GetHierarchyTable( ipm, MAPI_UNICODE, &hierarchy );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    IMAPITable_GetRowCount( hierarchy, 0, &rows );
    ok( rows == 2, "%lu subfolders.\n", rows );
    hr = IMAPITable_Advise( hierarchy, fnevTableModified, &table_sink.IMAPIAdviseSink_iface, &table_connection );
    ok( hr == S_OK, "table Advise returned %#lx.\n", hr );

    /* create */
    hr = IMAPIFolder_CreateFolder( ipm, FOLDER_SEARCH, (char *)L"search", NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&a );
    ok( hr == MAPI_E_NO_SUPPORT, "CreateFolder(FOLDER_SEARCH) returned %#lx.\n", hr );
    hr = IMAPIFolder_CreateFolder( ipm, FOLDER_GENERIC, (char *)L"wfold A", (char *)L"first", NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&a );
    ok( hr == S_OK, "CreateFolder returned %#lx.\n", hr );
    if (!a) goto done;
    /* nothing but Notify: no transport or spooler calls for a folder */
    check_log( "" );
    ok( folder_name_is( a, L"wfold A" ), "wrong name.\n" );
    folder_entry( a, a_buf, &a_entry );
    ok( sink_find( &store_sink, fnevObjectCreated, &a_entry ) >= 0, "no fnevObjectCreated.\n" );
    if (sink_find( &store_sink, fnevObjectCreated, &a_entry ) >= 0)
        ok( !memcmp( store_sink.parents[sink_find( &store_sink, fnevObjectCreated, &a_entry )], ipm_entry.lpb,
                     PST_ENTRYID_SIZE ), "wrong parent.\n" );
    ok( sink_find( &store_sink, fnevObjectModified, &ipm_entry ) >= 0, "no fnevObjectModified of the parent.\n" );
    ok( sink_has_table_event( &table_sink, TABLE_ROW_ADDED ), "the open hierarchy table heard nothing.\n" );
    IMAPITable_GetRowCount( hierarchy, 0, &rows );
    ok( rows == 3, "the open hierarchy table has %lu rows.\n", rows );
    ok( table_rows( ipm, TRUE ) == 3, "new table: %lu rows.\n", table_rows( ipm, TRUE ) );

    hr = IMAPIFolder_CreateFolder( ipm, FOLDER_GENERIC, (char *)"WFOLD a", NULL, NULL, 0, (IMAPIFolder *)&again );
    ok( hr == MAPI_E_COLLISION, "a duplicate name gave %#lx.\n", hr );
    hr = IMAPIFolder_CreateFolder( ipm, FOLDER_GENERIC, (char *)"wfold A", NULL, NULL, OPEN_IF_EXISTS,
                                   (IMAPIFolder *)&again );
    ok( hr == S_OK, "OPEN_IF_EXISTS returned %#lx.\n", hr );
    if (again)
    {
        folder_entry( again, b_buf, &b_entry );
        ok( !memcmp( b_entry.lpb, a_entry.lpb, a_entry.cb ), "another folder was opened.\n" );
        IMAPIFolder_Release( again );
    }

    hr = IMAPIFolder_CreateFolder( a, FOLDER_GENERIC, (char *)L"wfold B", NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&b );
    ok( hr == S_OK, "CreateFolder returned %#lx.\n", hr );
    if (!b) goto done;
    folder_entry( b, b_buf, &b_entry );
    ok( folder_long( a, PR_SUBFOLDERS ) == 1, "PR_SUBFOLDERS of A %ld.\n", folder_long( a, PR_SUBFOLDERS ) );

    /* properties: not transacted */
    props[0].ulPropTag = PR_DISPLAY_NAME_W;
    props[0].Value.lpszW = (WCHAR *)L"wfold A2";
    props[1].ulPropTag = PR_ENTRYID;
    props[1].Value.bin = a_entry;
    props[2].ulPropTag = PR_CONTAINER_CLASS_A;
    props[2].Value.lpszA = (char *)"IPF.Note";
    hr = IMAPIFolder_SetProps( a, 3, props, &problems );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    ok( problems && problems->cProblem == 1 && problems->aProblem[0].ulIndex == 1
        && problems->aProblem[0].scode == MAPI_E_COMPUTED, "wrong problems.\n" );
    test_free_buffer( problems );
    ok( folder_name_is( a, L"wfold A2" ), "the name did not change.\n" );
    hr = IMAPIFolder_SaveChanges( a, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    props[0].Value.lpszW = (WCHAR *)L"sample1";
    hr = IMAPIFolder_SetProps( a, 1, props, NULL );
    ok( hr == MAPI_E_COLLISION, "renaming onto a sibling gave %#lx.\n", hr );
    hr = IMAPIFolder_DeleteProps( a, (SPropTagArray *)&del_tags, NULL );
    ok( hr == S_OK, "DeleteProps returned %#lx.\n", hr );

    /* messages: copy the sample's one message into A, then move, status, delete */
    sample = open_subfolder( ts.store, ipm, sample_folder );
    ok( sample != NULL, "no Sample1 folder.\n" );
    if (!sample) goto done;
    hr = IMAPIFolder_GetContentsTable( sample, 0, &contents );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    ok( find_row( contents, PR_ENTRYID, NULL, PR_ENTRYID, &msg_entry, msg_buf ), "no message.\n" );
    IMAPITable_Release( contents );
    list.cValues = 1;
    list.lpbin = &msg_entry;
    store_sink.count = 0;
    hr = IMAPIFolder_CopyMessages( sample, &list, NULL, a, 0, NULL, 0 );
    ok( hr == S_OK, "CopyMessages returned %#lx.\n", hr );
    ok( sink_find( &store_sink, fnevObjectCopied, NULL ) >= 0, "no fnevObjectCopied.\n" );
    ok( folder_long( a, PR_CONTENT_COUNT ) == 1, "A holds %ld messages.\n", folder_long( a, PR_CONTENT_COUNT ) );
    ok( folder_long( sample, PR_CONTENT_COUNT ) == 1, "Sample1 holds %ld.\n", folder_long( sample, PR_CONTENT_COUNT ) );

    hr = IMAPIFolder_SetMessageStatus( sample, msg_entry.cb, (ENTRYID *)msg_entry.lpb, 0x1000, 0x1000, &status );
    ok( hr == S_OK, "SetMessageStatus returned %#lx.\n", hr );
    hr = IMAPIFolder_GetMessageStatus( sample, msg_entry.cb, (ENTRYID *)msg_entry.lpb, 0, &status );
    ok( hr == S_OK && (status & 0x1000), "GetMessageStatus returned %#lx, %#lx.\n", hr, status );

    hr = IMAPIFolder_SetReadFlags( sample, NULL, 0, NULL, CLEAR_READ_FLAG );
    ok( hr == S_OK, "SetReadFlags returned %#lx.\n", hr );
    ok( folder_long( sample, PR_CONTENT_UNREAD ) == 1, "unread %ld.\n", folder_long( sample, PR_CONTENT_UNREAD ) );
    hr = IMAPIFolder_SetReadFlags( sample, &list, 0, NULL, 0 );
    ok( hr == S_OK, "SetReadFlags returned %#lx.\n", hr );
    ok( folder_long( sample, PR_CONTENT_UNREAD ) == 0, "unread %ld.\n", folder_long( sample, PR_CONTENT_UNREAD ) );

    hr = IMAPIFolder_CopyMessages( sample, &list, NULL, b, 0, NULL, MESSAGE_MOVE );
    ok( hr == S_OK, "moving returned %#lx.\n", hr );
    ok( sink_find( &store_sink, fnevObjectMoved, &msg_entry ) >= 0, "no fnevObjectMoved.\n" );
    ok( folder_long( sample, PR_CONTENT_COUNT ) == 0, "Sample1 holds %ld.\n", folder_long( sample, PR_CONTENT_COUNT ) );
    ok( folder_long( b, PR_CONTENT_COUNT ) == 1, "B holds %ld.\n", folder_long( b, PR_CONTENT_COUNT ) );

    bins[0] = msg_entry;
    bins[1] = a_entry;    /* not a message of B */
    list.cValues = 2;
    list.lpbin = bins;
    hr = IMAPIFolder_DeleteMessages( b, &list, 0, NULL, 0 );
    ok( hr == MAPI_W_PARTIAL_COMPLETION, "DeleteMessages returned %#lx.\n", hr );
    ok( folder_long( b, PR_CONTENT_COUNT ) == 0, "B holds %ld.\n", folder_long( b, PR_CONTENT_COUNT ) );
    ok( sink_find( &store_sink, fnevObjectDeleted, &msg_entry ) >= 0, "no fnevObjectDeleted.\n" );

    /* folders: copy, move, delete */
    hr = IMAPIFolder_CopyFolder( ipm, a_entry.cb, (ENTRYID *)a_entry.lpb, NULL, b, NULL, 0, NULL, FOLDER_MOVE );
    ok( hr == MAPI_E_FOLDER_CYCLE, "moving A into B returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyFolder( ipm, a_entry.cb, (ENTRYID *)a_entry.lpb, NULL, ipm, (char *)L"wfold copy", 0, NULL,
                                 COPY_SUBFOLDERS | MAPI_UNICODE );
    ok( hr == S_OK, "CopyFolder returned %#lx.\n", hr );
    ok( sink_find( &store_sink, fnevObjectCopied, NULL ) >= 0, "no fnevObjectCopied.\n" );
    copy = open_subfolder( ts.store, ipm, L"wfold copy" );
    ok( copy != NULL, "no copy.\n" );
    if (copy)
    {
        ok( folder_long( copy, PR_CONTENT_COUNT ) == 1, "the copy holds %ld.\n", folder_long( copy, PR_CONTENT_COUNT ) );
        ok( table_rows( copy, TRUE ) == 1, "the copy has %lu subfolders.\n", table_rows( copy, TRUE ) );
        folder_entry( copy, copy_buf, &copy_entry );
    }
    hr = IMAPIFolder_CopyFolder( a, b_entry.cb, (ENTRYID *)b_entry.lpb, NULL, ipm, NULL, 0, NULL, FOLDER_MOVE );
    ok( hr == S_OK, "moving B returned %#lx.\n", hr );
    ok( sink_find( &store_sink, fnevObjectMoved, &b_entry ) >= 0, "no fnevObjectMoved.\n" );
    ok( folder_long( a, PR_SUBFOLDERS ) == 0, "PR_SUBFOLDERS of A %ld.\n", folder_long( a, PR_SUBFOLDERS ) );

    if (copy)
    {
        hr = ipm->lpVtbl->DeleteFolder( ipm, copy_entry.cb, (ENTRYID *)copy_entry.lpb, 0, NULL, 0 );
        ok( hr == MAPI_E_HAS_FOLDERS, "DeleteFolder returned %#lx.\n", hr );
        hr = ipm->lpVtbl->DeleteFolder( ipm, copy_entry.cb, (ENTRYID *)copy_entry.lpb, 0, NULL, DEL_FOLDERS );
        ok( hr == MAPI_E_HAS_MESSAGES, "DeleteFolder returned %#lx.\n", hr );
        hr = ipm->lpVtbl->DeleteFolder( ipm, copy_entry.cb, (ENTRYID *)copy_entry.lpb, 0, NULL,
                                       DEL_FOLDERS | DEL_MESSAGES );
        ok( hr == S_OK, "DeleteFolder returned %#lx.\n", hr );
        ok( sink_find( &store_sink, fnevObjectDeleted, &copy_entry ) >= 0, "no fnevObjectDeleted.\n" );
        hr = IMAPIFolder_CreateMessage( copy, NULL, 0, (IMessage **)&check );
        ok( hr == MAPI_E_OBJECT_DELETED, "CreateMessage in a deleted folder returned %#lx.\n", hr );
        IMAPIFolder_Release( copy );
    }
    hr = IMAPIFolder_EmptyFolder( a, 0, NULL, 0 );
    ok( hr == S_OK, "EmptyFolder returned %#lx.\n", hr );
    ok( folder_long( a, PR_CONTENT_COUNT ) == 0, "A holds %ld.\n", folder_long( a, PR_CONTENT_COUNT ) );

    IMAPITable_GetRowCount( hierarchy, 0, &rows );
    ok( rows == 4, "the open hierarchy table has %lu rows.\n", rows );
    ok( sink_has_table_event( &table_sink, TABLE_ROW_MODIFIED ), "no TABLE_ROW_MODIFIED.\n" );
    IMAPITable_Release( hierarchy );
    IMAPIFolder_Release( sample );

done:
    if (b) IMAPIFolder_Release( b );
    if (a) IMAPIFolder_Release( a );
    if (ipm) IMAPIFolder_Release( ipm );
    wcscpy( path, ts.path );
    close_writable( &ts, FALSE );

    /* what a new logon reads back */
    memset( &ts, 0, sizeof(ts) );
    ts.provider = create_provider();
    wcscpy( profile.path, path );
    init_support( &ts.support );
    hr = logon( ts.provider, &ts.support, 0, NULL, &ts.ms_logon, &ts.store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        wcscpy( ts.path, path );
        ipm = open_ipm_subtree( ts.store, ipm_buf, &ipm_entry );
        ok( table_rows( ipm, TRUE ) == 4, "%lu subfolders.\n", table_rows( ipm, TRUE ) );
        check = open_subfolder( ts.store, ipm, L"wfold A2" );
        ok( check != NULL, "A2 is gone.\n" );
        if (check) IMAPIFolder_Release( check );
        check = open_subfolder( ts.store, ipm, L"wfold B" );
        ok( check != NULL, "B is not in the IPM subtree.\n" );
        if (check) IMAPIFolder_Release( check );
        check = open_subfolder( ts.store, ipm, L"wfold copy" );
        ok( !check, "the copy survived.\n" );
        if (check) IMAPIFolder_Release( check );
        check = open_subfolder( ts.store, ipm, sample_folder );
        if (check)
        {
            ok( folder_long( check, PR_CONTENT_COUNT ) == 0, "Sample1 holds %ld.\n",
                folder_long( check, PR_CONTENT_COUNT ) );
            IMAPIFolder_Release( check );
        }
        IMAPIFolder_Release( ipm );
        IMsgStore_Release( ts.store );
        IMSLogon_Release( ts.ms_logon );
        IMSProvider_Release( ts.provider );
        call_log[0] = 0;
    }
    rows = check_file( path );
    ok( !rows, "the checker found %lu problems.\n", rows );
    DeleteFileW( path );
}

/* Associated messages have a table of their own, whose rows carry
 * MSGFLAG_ASSOCIATED as the messages do; the file does not store the flag. */
static void test_associated_rows(void)
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_MESSAGE_FLAGS } };
    BYTE ipm_buf[256];
    SBinary ipm_entry;
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *ipm;
    IMessage *message;
    SRowSet *rows = NULL;
    SPropValue prop;
    HRESULT hr;
    ULONG i;

    if (!open_writable( "pstsdk_sample1.pst", &ts )) return;
    if (!(ipm = open_ipm_subtree( ts.store, ipm_buf, &ipm_entry ))) goto done;
    hr = IMAPIFolder_CreateMessage( ipm, NULL, MAPI_ASSOCIATED, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        prop.ulPropTag = PR_SUBJECT_W;
        prop.Value.lpszW = (WCHAR *)L"a view";
        IMessage_SetProps( message, 1, &prop, NULL );
        hr = IMessage_SaveChanges( message, 0 );
        ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
        IMessage_Release( message );
    }
    hr = IMAPIFolder_GetContentsTable( ipm, MAPI_ASSOCIATED, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (table)
    {
        hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
        ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
        hr = IMAPITable_QueryRows( table, 10, 0, &rows );
        ok( hr == S_OK && rows && rows->cRows == 1, "QueryRows returned %#lx, %lu rows.\n", hr,
            rows ? rows->cRows : 0 );
        if (rows && rows->cRows)
            ok( rows->aRow[0].lpProps[0].ulPropTag == PR_MESSAGE_FLAGS
                && (rows->aRow[0].lpProps[0].Value.l & MSGFLAG_ASSOCIATED), "flags %#lx %#lx.\n",
                rows->aRow[0].lpProps[0].ulPropTag, rows->aRow[0].lpProps[0].Value.l );
        if (rows)
        {
            for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
            test_free_buffer( rows );
        }
        IMAPITable_Release( table );
    }
    IMAPIFolder_Release( ipm );
done:
    close_writable( &ts, TRUE );
}

START_TEST(folderwrite)
{
    if (!init_winepst()) return;
    test_read_only();
    test_folders();
    test_associated_rows();
}
