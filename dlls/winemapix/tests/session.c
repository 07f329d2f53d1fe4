/*
 * IMAPISession: message store and status tables, default store, identity,
 * shared sessions and the default profile
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

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"
#include "mapiab.h"

#include "wine/test.h"
#include "winemapix_test.h"

/* must match mockprov.c */
#define MOCK_PROFILE 0x10

static void (CDECL *pmockprov_configure)(ULONG);
static const char *(CDECL *pmockprov_get_log)(void);
static void (CDECL *pmockprov_reset_log)(void);
static IMAPISupport *(CDECL *pmockprov_get_support)(void);

static char provider_name[MAX_PATH], provider_path[MAX_PATH];
static char inf_path[MAX_PATH], backup_path[MAX_PATH];
static HMODULE mockprov;

static const char profile_name[] = "winemapix session";

static const BYTE store_wrap_uid[16] =
    { 0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a, 0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2 };

/* The mock provider as <temp>\mapixmock\mockprov32.dll; MAPI is told "mockprov.dll" (R1.12). */
static BOOL extract_provider(void)
{
    char dir[MAX_PATH], source[MAX_PATH], *p;
    DWORD written;
    HANDLE file;
    HRSRC res;
    BOOL ret;

    GetTempPathA( ARRAY_SIZE(dir), dir );
    strcat( dir, "mapixmock" );
    CreateDirectoryA( dir, NULL );
    sprintf( provider_path, "%s\\mockprov32.dll", dir );
    if ((res = FindResourceA( NULL, "mockprov.dll", "TESTDLL" )))
    {
        file = CreateFileA( provider_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
        ok( file != INVALID_HANDLE_VALUE, "cannot create %s, error %lu.\n", provider_path, GetLastError() );
        if (file == INVALID_HANDLE_VALUE) return FALSE;
        ret = WriteFile( file, LockResource( LoadResource( GetModuleHandleA( NULL ), res ) ),
                         SizeofResource( GetModuleHandleA( NULL ), res ), &written, NULL );
        CloseHandle( file );
        ok( ret, "WriteFile failed, error %lu.\n", GetLastError() );
    }
    else
    {
        GetModuleFileNameA( NULL, source, ARRAY_SIZE(source) );
        if ((p = strrchr( source, '\\' ))) p[1] = 0;
        strcat( source, "mockprov.dll" );
        ret = CopyFileA( source, provider_path, FALSE );
        ok( ret, "cannot copy %s, error %lu.\n", source, GetLastError() );
        if (!ret) return FALSE;
    }
    if (strchr( dir, '.' ))
    {
        SetDllDirectoryA( dir );
        strcpy( provider_name, "mockprov.dll" );
    }
    else sprintf( provider_name, "%s\\mockprov.dll", dir );

    mockprov = LoadLibraryA( provider_path );
    ok( mockprov != NULL, "cannot load %s, error %lu.\n", provider_path, GetLastError() );
    if (!mockprov) return FALSE;
    pmockprov_configure = (void *)GetProcAddress( mockprov, "mockprov_configure" );
    pmockprov_get_log = (void *)GetProcAddress( mockprov, "mockprov_get_log" );
    pmockprov_reset_log = (void *)GetProcAddress( mockprov, "mockprov_reset_log" );
    pmockprov_get_support = (void *)GetProcAddress( mockprov, "mockprov_get_support" );
    return pmockprov_configure && pmockprov_get_log && pmockprov_reset_log;
}

/* a mapisvc.inf with the mock provider's services, in place of the real one during the tests */
static BOOL install_inf(void)
{
    char data[4096];
    DWORD written;
    HANDLE file;
    BOOL ret;

    sprintf( data,
             "[Services]\r\n"
             "WMXMOCK=Winemapix Mock Service\r\n"
             "MSUPST MS=Personal Folders\r\n"
             "\r\n"
             "[WMXMOCK]\r\n"
             "PR_DISPLAY_NAME=Winemapix Mock Service\r\n"
             "Providers=WMXMOCK Store, WMXMOCK Store2\r\n"
             "\r\n"
             "[WMXMOCK Store]\r\n"
             "PR_DISPLAY_NAME=First Store\r\n"
             "PR_PROVIDER_DISPLAY=Mock Provider\r\n"
             "PR_PROVIDER_DLL_NAME=%s\r\n"
             "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n"
             "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\r\n"
             "34140102=0102abcd\r\n"
             "\r\n"
             "[WMXMOCK Store2]\r\n"
             "PR_DISPLAY_NAME=Second Store\r\n"
             "PR_PROVIDER_DISPLAY=Mock Provider\r\n"
             "PR_PROVIDER_DLL_NAME=%s\r\n"
             "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n"
             "\r\n"
             "[MSUPST MS]\r\n"
             "PR_DISPLAY_NAME=Personal Folders\r\n"
             "Providers=MSUPST MS Store\r\n"
             "\r\n"
             "[MSUPST MS Store]\r\n"
             "PR_DISPLAY_NAME=Personal Folders\r\n"
             "PR_PROVIDER_DISPLAY=Personal Folders\r\n"
             "PR_PROVIDER_DLL_NAME=%s\r\n"
             "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n"
             "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\r\n",
             provider_name, provider_name, provider_name );

    GetSystemDirectoryA( inf_path, MAX_PATH );
    strcat( inf_path, "\\mapisvc.inf" );
    GetSystemDirectoryA( backup_path, MAX_PATH );
    strcat( backup_path, "\\mapisvc.inf.winemapix-session" );
    if (GetFileAttributesA( backup_path ) == INVALID_FILE_ATTRIBUTES) MoveFileA( inf_path, backup_path );
    file = CreateFileA( inf_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    ok( file != INVALID_HANDLE_VALUE, "cannot write %s, error %lu.\n", inf_path, GetLastError() );
    if (file == INVALID_HANDLE_VALUE) return FALSE;
    ret = WriteFile( file, data, strlen( data ), &written, NULL );
    CloseHandle( file );
    return ret;
}

static void restore_inf(void)
{
    DeleteFileA( inf_path );
    MoveFileA( backup_path, inf_path );
}

#define check_log(a) check_log_(__LINE__, a)
static void check_log_( unsigned int line, const char *expected )
{
    const char *log = pmockprov_get_log();

    ok_(__FILE__, line)( !strcmp( log, expected ), "got calls \"%s\", expected \"%s\".\n", log, expected );
    pmockprov_reset_log();
}

/* an advise sink that counts what it gets */
struct sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    unsigned int count;
    ULONG last_event;
    SCODE last_scode;
    ULONG last_table_event;
    ULONG table_events;        /* bit 1 << ulTableEvent for every table event seen */
};

static struct sink *impl_from_IMAPIAdviseSink( IMAPIAdviseSink *iface )
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

    for (i = 0; i < count; i++)
    {
        sink->count++;
        sink->last_event = notifications[i].ulEventType;
        if (notifications[i].ulEventType == fnevCriticalError)
            sink->last_scode = notifications[i].info.err.scode;
        if (notifications[i].ulEventType == fnevTableModified)
        {
            sink->last_table_event = notifications[i].info.tab.ulTableEvent;
            sink->table_events |= 1u << (notifications[i].info.tab.ulTableEvent & 31);
        }
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl =
{
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_OnNotify,
};

static void init_sink( struct sink *sink )
{
    memset( sink, 0, sizeof(*sink) );
    sink->IMAPIAdviseSink_iface.lpVtbl = &sink_vtbl;
    sink->refcount = 1;
}

static BOOL create_profile( IProfAdmin *admin, const char *name )
{
    IMsgServiceAdmin *services;
    HRESULT hr;

    IProfAdmin_DeleteProfile( admin, (WCHAR *)name, 0 );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    if (hr != S_OK) return FALSE;
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)name, NULL, 0, 0, &services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (hr != S_OK) return FALSE;
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXMOCK", NULL, 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    IMsgServiceAdmin_Release( services );
    return hr == S_OK;
}

static SRowSet *query_table( IMAPITable *table, ULONG expected )
{
    SRowSet *rows = NULL;
    HRESULT hr;

    hr = IMAPITable_QueryRows( table, 100, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    ok( rows && rows->cRows == expected, "got %lu rows, expected %lu.\n", rows ? rows->cRows : 0, expected );
    return rows;
}

static SRow *find_row( SRowSet *rows, ULONG tag, const char *name )
{
    SPropValue *prop;
    ULONG i;

    for (i = 0; rows && i < rows->cRows; i++)
    {
        if (!(prop = pPpropFindProp( rows->aRow[i].lpProps, rows->aRow[i].cValues, tag ))) continue;
        if (PROP_TYPE(tag) == PT_STRING8 && !strcmp( prop->Value.lpszA, name )) return &rows->aRow[i];
        if (PROP_TYPE(tag) == PT_LONG && prop->Value.l == (LONG_PTR)name) return &rows->aRow[i];
    }
    return NULL;
}

static SPropValue *row_prop( SRow *row, ULONG tag )
{
    return row ? pPpropFindProp( row->lpProps, row->cValues, tag ) : NULL;
}

static ENTRYID *copy_entryid( SRow *row, ULONG *size )
{
    SPropValue *prop = row_prop( row, PR_ENTRYID );
    ENTRYID *entry;

    ok( prop != NULL, "no PR_ENTRYID.\n" );
    if (!prop) return NULL;
    entry = malloc( prop->Value.bin.cb );
    memcpy( entry, prop->Value.bin.lpb, prop->Value.bin.cb );
    *size = prop->Value.bin.cb;
    return entry;
}

static IMAPISession *logon( IProfAdmin **admin, LONG *buffers )
{
    IMAPISession *session = NULL;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    *buffers = pMAPIXGetLiveBuffers();
    hr = pMAPIAdminProfiles( 0, admin );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (!create_profile( *admin, profile_name )) return NULL;
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    pmockprov_configure( MOCK_PROFILE );
    pmockprov_reset_log();
    return session;
}

static void logoff( IMAPISession *session, IProfAdmin *admin, LONG buffers )
{
    HRESULT hr;

    if (session) IMAPISession_Release( session );
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    ok( hr == S_OK, "DeleteProfile returned %#lx.\n", hr );
    IProfAdmin_Release( admin );
    ok( pMAPIXGetLiveBuffers() == buffers, "%ld buffers alive, expected %ld.\n", pMAPIXGetLiveBuffers(), buffers );
    pMAPIUninitialize();
    pmockprov_configure( 0 );
    pmockprov_reset_log();
}

static void test_msg_stores_table(void)
{
    IMAPITable *table, *table_w, *status;
    IMAPISession *session;
    IMsgStore *store;
    SPropValue *prop;
    ENTRYID *entry, *identity;
    IProfAdmin *admin;
    IUnknown *unk;
    struct sink sink;
    BYTE status_id[36];
    ULONG size, connection, ref, type;
    SRowSet *rows;
    SRow *row;
    LONG buffers;
    HRESULT hr;

    if (!(session = logon( &admin, &buffers ))) return;

    hr = IMAPISession_GetMsgStoresTable( session, 0x1, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_GetMsgStoresTable( session, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_GetMsgStoresTable( session, MAPI_UNICODE, &table_w );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );

    /* every store provider of the profile has a row before any is opened */
    rows = query_table( table, 2 );
    row = find_row( rows, PR_DISPLAY_NAME_A, "First Store" );
    ok( row != NULL, "no row for the first store.\n" );
    prop = row_prop( row, PR_PROVIDER_DISPLAY_A );
    ok( prop && !strcmp( prop->Value.lpszA, "Mock Provider" ), "wrong PR_PROVIDER_DISPLAY.\n" );
    prop = row_prop( row, PR_RESOURCE_FLAGS );
    ok( prop && prop->Value.l == STATUS_DEFAULT_STORE, "got flags %#lx.\n", prop ? prop->Value.l : 0 );
    prop = row_prop( row, PR_DEFAULT_STORE );
    ok( prop && prop->Value.b, "not the default store.\n" );
    prop = row_prop( row, PR_OBJECT_TYPE );
    ok( prop && prop->Value.l == MAPI_STORE, "got type %ld.\n", prop ? prop->Value.l : 0 );
    prop = row_prop( row, PR_RESOURCE_TYPE );
    ok( prop && prop->Value.l == MAPI_STORE_PROVIDER, "got resource type %ld.\n", prop ? prop->Value.l : 0 );
    prop = row_prop( row, PR_MDB_PROVIDER );
    ok( prop && prop->Value.bin.cb == 4 && !memcmp( prop->Value.bin.lpb, "\x01\x02\xab\xcd", 4 ),
        "wrong PR_MDB_PROVIDER.\n" );
    prop = row_prop( row, PR_INSTANCE_KEY );
    ok( prop && prop->Value.bin.cb == 16, "wrong PR_INSTANCE_KEY.\n" );
    ok( row_prop( row, PR_RECORD_KEY ) != NULL, "no PR_RECORD_KEY.\n" );
    prop = row_prop( row, PR_ENTRYID );
    /* clients only ever see wrapped store entry IDs (R2.7) */
    ok( prop && prop->Value.bin.cb > 20 && !memcmp( prop->Value.bin.lpb + 4, store_wrap_uid, 16 ),
        "PR_ENTRYID is not wrapped.\n" );
    entry = copy_entryid( row, &size );
    row = find_row( rows, PR_DISPLAY_NAME_A, "Second Store" );
    ok( row != NULL, "no row for the second store.\n" );
    prop = row_prop( row, PR_DEFAULT_STORE );
    ok( prop && !prop->Value.b, "second store is the default.\n" );
    pFreeProws( rows );

    rows = query_table( table_w, 2 );
    ok( rows && rows->cRows && row_prop( &rows->aRow[0], PR_DISPLAY_NAME_W ) != NULL, "no Unicode names.\n" );
    pFreeProws( rows );

    init_sink( &sink );
    hr = IMAPITable_Advise( table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );

    /* the store never opened: the provider gets no entry ID, and the flags as given (Q15) */
    hr = IMAPISession_OpenMsgStore( session, 0, size, entry, NULL, MDB_NO_DIALOG | MDB_WRITE | MAPI_BEST_ACCESS,
                                    &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    check_log( "MSProviderInit(0,0x10010);Logon(0x15,0);Profile(winemapix session);" );
    free( entry );
    /* the provider wrote PR_ENTRYID and PR_DISPLAY_NAME to its profile section */
    ok( sink.count >= 1 && sink.last_event == fnevTableModified, "got %u notifications, last %#lx.\n",
        sink.count, sink.last_event );
    ok( sink.last_table_event == TABLE_ROW_MODIFIED, "got table event %#lx.\n", sink.last_table_event );
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    ok( hr == S_OK, "SeekRow returned %#lx.\n", hr );
    rows = query_table( table, 2 );
    row = find_row( rows, PR_DISPLAY_NAME_A, "Mock Store" );
    ok( row != NULL, "the row did not change.\n" );
    entry = copy_entryid( row, &size );
    pFreeProws( rows );

    /* the status table: MAPI's own row and the one the provider added */
    hr = IMAPISession_GetStatusTable( session, 0, &status );
    ok( hr == S_OK, "GetStatusTable returned %#lx.\n", hr );
    rows = query_table( status, 2 );
    row = find_row( rows, PR_RESOURCE_TYPE, (const char *)MAPI_SUBSYSTEM );
    ok( row != NULL, "no subsystem row.\n" );
    prop = row_prop( row, PR_OBJECT_TYPE );
    ok( prop && prop->Value.l == MAPI_STATUS, "wrong PR_OBJECT_TYPE.\n" );
    row = find_row( rows, PR_DISPLAY_NAME_A, "Mock Store" );
    ok( row != NULL, "no provider row.\n" );
    /* MAPI computes PR_RESOURCE_TYPE, PR_OBJECT_TYPE, PR_PROVIDER_DLL_NAME ... itself */
    prop = row_prop( row, PR_RESOURCE_TYPE );
    ok( prop && prop->Value.l == MAPI_STORE_PROVIDER, "got resource type %ld.\n", prop ? prop->Value.l : 0 );
    prop = row_prop( row, PR_OBJECT_TYPE );
    ok( prop && prop->Value.l == MAPI_STATUS, "wrong PR_OBJECT_TYPE.\n" );
    prop = row_prop( row, PR_PROVIDER_DLL_NAME_A );
    ok( prop && !strcmp( prop->Value.lpszA, provider_name ), "wrong PR_PROVIDER_DLL_NAME.\n" );
    ok( row_prop( row, PR_INSTANCE_KEY ) && row_prop( row, PR_ENTRYID ), "no PR_INSTANCE_KEY or PR_ENTRYID.\n" );
    prop = row_prop( row, PR_RESOURCE_FLAGS );
    ok( prop && prop->Value.l == STATUS_DEFAULT_STORE, "got flags %#lx.\n", prop ? prop->Value.l : 0 );
    /* STATUSROW_UPDATE merged a column into the row */
    prop = row_prop( row, PR_STATUS_STRING_A );
    ok( prop && !strcmp( prop->Value.lpszA, "Online" ), "PR_STATUS_STRING not merged.\n" );
    prop = row_prop( row, PR_STATUS_CODE );
    ok( prop && prop->Value.l == STATUS_AVAILABLE, "PR_STATUS_CODE lost.\n" );
    /* the row's entry ID opens the status object through the provider's logon */
    prop = row_prop( row, PR_ENTRYID );
    pmockprov_reset_log();
    hr = IMAPISession_OpenEntry( session, prop->Value.bin.cb, (ENTRYID *)prop->Value.bin.lpb, NULL, MAPI_MODIFY,
                                 &type, &unk );
    ok( hr == MAPI_E_NO_SUPPORT, "OpenEntry returned %#lx.\n", hr );
    check_log( "OpenStatusEntry(0x1);" );
    /* a row key nobody owns */
    memcpy( status_id, prop->Value.bin.lpb, min( prop->Value.bin.cb, sizeof(status_id) ) );
    status_id[sizeof(status_id) - 1] ^= 0xff;
    hr = IMAPISession_OpenEntry( session, prop->Value.bin.cb, (ENTRYID *)status_id, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "OpenEntry of a stale row returned %#lx.\n", hr );
    check_log( "" );
    ok( prop->Value.bin.cb == sizeof(status_id), "status entry ID of %lu bytes.\n", prop->Value.bin.cb );
    pFreeProws( rows );

    /* the identity comes from the status row that has one */
    hr = IMAPISession_QueryIdentity( session, &size, &identity );
    ok( hr == S_OK, "QueryIdentity returned %#lx.\n", hr );
    ok( size == 20 && identity->ab[0] == 0x42, "wrong identity, size %lu.\n", size );
    pMAPIFreeBuffer( identity );

    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );
    /* R4.8: the row goes with the support object */
    hr = status->lpVtbl->SeekRow( status, BOOKMARK_BEGINNING, 0, NULL );
    rows = query_table( status, 1 );
    pFreeProws( rows );
    hr = IMAPISession_QueryIdentity( session, &size, &identity );
    ok( hr == MAPI_W_NO_SERVICE, "QueryIdentity returned %#lx.\n", hr );
    ok( identity != NULL && size > 0, "no entry ID with MAPI_W_NO_SERVICE.\n" );
    pMAPIFreeBuffer( identity );
    hr = IMAPISession_QueryIdentity( session, NULL, &identity );
    ok( hr == MAPI_E_INVALID_PARAMETER, "QueryIdentity returned %#lx.\n", hr );

    /* the ID the provider wrote is unwrapped for it */
    free( entry );
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    rows = query_table( table, 2 );
    entry = copy_entryid( find_row( rows, PR_DISPLAY_NAME_A, "Mock Store" ), &size );
    pFreeProws( rows );
    pmockprov_reset_log();
    hr = IMAPISession_OpenMsgStore( session, 0, size, entry, NULL, MDB_NO_DIALOG | MAPI_UNICODE, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    check_log( "Logon(0x80000001,32);Profile(winemapix session);" );
    free( entry );
    IMsgStore_Release( store );
    pmockprov_reset_log();

    hr = IMAPITable_Unadvise( table, connection );
    ok( hr == S_OK, "Unadvise returned %#lx.\n", hr );
    IMAPITable_Release( status );
    IMAPITable_Release( table );
    IMAPITable_Release( table_w );
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_GetStatusTable( session, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    logoff( session, admin, buffers );
}

static ULONG store_flags( IMAPITable *table, const char *name )
{
    SPropValue *prop;
    SRowSet *rows;
    ULONG ret = ~0u;

    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    rows = query_table( table, 2 );
    if ((prop = row_prop( find_row( rows, PR_DISPLAY_NAME_A, name ), PR_RESOURCE_FLAGS ))) ret = prop->Value.l;
    pFreeProws( rows );
    return ret;
}

/* PR_RESOURCE_FLAGS of the status row with the given PR_INSTANCE_KEY, or ~0 */
static ULONG status_flags( IMAPISession *session, const SBinary *key )
{
    IMAPITable *status;
    SPropValue *prop;
    ULONG flags = ~0u;
    SRowSet *rows;
    ULONG i;

    if (FAILED(IMAPISession_GetStatusTable( session, 0, &status ))) return flags;
    if (SUCCEEDED(IMAPITable_QueryRows( status, 100, 0, &rows )))
    {
        for (i = 0; i < rows->cRows; i++)
        {
            prop = pPpropFindProp( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_INSTANCE_KEY );
            if (!prop || prop->Value.bin.cb != key->cb || memcmp( prop->Value.bin.lpb, key->lpb, key->cb )) continue;
            prop = pPpropFindProp( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_RESOURCE_FLAGS );
            if (prop) flags = prop->Value.l;
        }
        pFreeProws( rows );
    }
    IMAPITable_Release( status );
    return flags;
}

static void test_set_default_store(void)
{
    IMAPISession *session, *session2;
    IMAPITable *table, *table2;
    IMsgStore *store = NULL;
    IProfAdmin *admin;
    BYTE key_data[16];
    SPropValue *prop;
    SBinary key;
    ENTRYID *entry;
    struct sink sink;
    ULONG size, connection;
    SRowSet *rows;
    LONG buffers;
    HRESULT hr;

    if (!(session = logon( &admin, &buffers ))) return;
    IMAPISession_GetMsgStoresTable( session, 0, &table );
    rows = query_table( table, 2 );
    entry = copy_entryid( find_row( rows, PR_DISPLAY_NAME_A, "Second Store" ), &size );
    prop = row_prop( find_row( rows, PR_DISPLAY_NAME_A, "Second Store" ), PR_INSTANCE_KEY );
    memcpy( key_data, prop->Value.bin.lpb, min( prop->Value.bin.cb, sizeof(key_data) ) );
    key.cb = min( prop->Value.bin.cb, sizeof(key_data) );
    key.lpb = key_data;
    pFreeProws( rows );

    hr = IMAPISession_SetDefaultStore( session, 0, size, entry );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_SetDefaultStore( session, 6, size, entry );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_SetDefaultStore( session, MAPI_DEFAULT_STORE, 8, (ENTRYID *)"garbage" );
    ok( hr == MAPI_E_INVALID_ENTRYID, "Unexpected hr %#lx.\n", hr );

    init_sink( &sink );
    IMAPITable_Advise( table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection );
    hr = IMAPISession_SetDefaultStore( session, MAPI_DEFAULT_STORE, size, entry );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( sink.count >= 2, "got %u notifications.\n", sink.count );
    ok( store_flags( table, "Second Store" ) == STATUS_DEFAULT_STORE, "second store is not the default.\n" );
    ok( store_flags( table, "First Store" ) == 0, "first store is still the default.\n" );

    hr = IMAPISession_SetDefaultStore( session, MAPI_PRIMARY_STORE, size, entry );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_SetDefaultStore( session, MAPI_SIMPLE_STORE_TEMPORARY, size, entry );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( store_flags( table, "Second Store" ) == (STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE | STATUS_SIMPLE_STORE),
        "got flags %#lx.\n", store_flags( table, "Second Store" ) );

    /* the profile changed, except for MAPI_SIMPLE_STORE_TEMPORARY */
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session2 );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    IMAPISession_GetMsgStoresTable( session2, 0, &table2 );
    ok( store_flags( table2, "Second Store" ) == (STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE),
        "got flags %#lx.\n", store_flags( table2, "Second Store" ) );
    IMAPITable_Release( table2 );
    IMAPISession_Release( session2 );

    /* NULL: no default store any more */
    hr = IMAPISession_SetDefaultStore( session, MAPI_DEFAULT_STORE, 0, NULL );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( store_flags( table, "Second Store" ) == (STATUS_PRIMARY_STORE | STATUS_SIMPLE_STORE), "got flags %#lx.\n",
        store_flags( table, "Second Store" ) );

    /* an open store has a status row, and it shows the flags SetDefaultStore sets */
    hr = IMAPISession_OpenMsgStore( session, 0, size, entry, NULL, MDB_NO_DIALOG, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    ok( status_flags( session, &key ) == (STATUS_PRIMARY_STORE | STATUS_SIMPLE_STORE), "status flags %#lx.\n",
        status_flags( session, &key ) );
    hr = IMAPISession_SetDefaultStore( session, MAPI_DEFAULT_STORE, size, entry );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( status_flags( session, &key ) == (STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE | STATUS_SIMPLE_STORE),
        "the status row shows flags %#lx.\n", status_flags( session, &key ) );

    free( entry );
    if (store) IMsgStore_Release( store );
    IMAPITable_Unadvise( table, connection );
    IMAPITable_Release( table );
    IMAPISession_Logoff( session, 0, 0, 0 );
    hr = IMAPISession_SetDefaultStore( session, MAPI_DEFAULT_STORE, 0, NULL );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    logoff( session, admin, buffers );
}

/* R6.3, R6.9, Q14 */
static void test_shared_session(void)
{
    IMAPISession *session, *session2, *session3;
    IMsgStore *store, *store2;
    IMAPITable *table;
    IProfAdmin *admin;
    ENTRYID *entry;
    struct sink sink, sink3;
    ULONG size, connection, connection3;
    SRowSet *rows;
    LONG buffers;
    HRESULT hr;

    if (!(session = logon( &admin, &buffers ))) return;
    IMAPISession_Release( session );
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_ALLOW_OTHERS,
                       &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    /* no MAPI_NEW_SESSION and no profile: the shared session */
    hr = pMAPILogonEx( 0, NULL, NULL, MAPI_EXTENDED, &session2 );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    ok( session2 != session, "same object.\n" );
    /* MAPI_NEW_SESSION: a separate one */
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session3 );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );

    IMAPISession_GetMsgStoresTable( session, 0, &table );
    rows = query_table( table, 2 );
    entry = copy_entryid( find_row( rows, PR_DISPLAY_NAME_A, "First Store" ), &size );
    pFreeProws( rows );
    IMAPITable_Release( table );

    hr = IMAPISession_OpenMsgStore( session, 0, size, entry, NULL, MDB_NO_DIALOG, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    check_log( "MSProviderInit(0,0x10010);Logon(0x1,0);Profile(winemapix session);" );
    /* the clients share the provider objects: R2.9 piggyback */
    hr = IMAPISession_OpenMsgStore( session2, 0, size, entry, NULL, MDB_NO_DIALOG, &store2 );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    ok( store2 == store, "got another store.\n" );
    check_log( "Logon(0x1,0);Profile(winemapix session);Piggyback;" );
    IMsgStore_Release( store2 );
    free( entry );

    init_sink( &sink );
    hr = IMAPISession_Advise( session2, 0, NULL, fnevCriticalError, &sink.IMAPIAdviseSink_iface, &connection );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    init_sink( &sink3 );
    hr = IMAPISession_Advise( session3, 0, NULL, fnevCriticalError, &sink3.IMAPIAdviseSink_iface, &connection3 );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );

    hr = IMAPISession_Logoff( session, 0, MAPI_LOGOFF_SHARED, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    ok( sink.count == 1 && sink.last_event == fnevCriticalError, "got %u notifications, last %#lx.\n",
        sink.count, sink.last_event );
    ok( sink.last_scode == MAPI_E_END_OF_SESSION, "got scode %#lx.\n", sink.last_scode );
    ok( !sink3.count, "another session was notified.\n" );
    /* the other client keeps the session and the providers */
    check_log( "" );
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_GetMsgStoresTable( session2, 0, &table );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    IMAPITable_Release( table );
    IMAPISession_Release( session );

    /* the last user tears the providers down */
    IMsgStore_Release( store );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );
    ok( IMAPISession_Release( session2 ) == 0, "session2 still referenced.\n" );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    ok( sink.refcount == 1, "sink still referenced.\n" );

    /* the shared session is gone: nothing to join */
    hr = pMAPILogonEx( 0, NULL, NULL, MAPI_EXTENDED, &session2 );
    ok( hr == MAPI_E_LOGON_FAILED, "MAPILogonEx returned %#lx.\n", hr );
    IMAPISession_Logoff( session3, 0, 0, 0 );
    ok( sink3.refcount == 1, "sink still referenced.\n" );
    logoff( session3, admin, buffers );
}

static void check_table_dead_( unsigned int line, IMAPITable *table, BOOL dead )
{
    ULONG count = 0xdead, connection;
    struct sink sink;
    HRESULT hr;

    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok_(__FILE__, line)( hr == (dead ? MAPI_E_INVALID_OBJECT : S_OK), "GetRowCount returned %#lx.\n", hr );
    ok_(__FILE__, line)( dead ? count == 0xdead : count != 0xdead, "got count %lu.\n", count );
    init_sink( &sink );
    hr = IMAPITable_Advise( table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection );
    ok_(__FILE__, line)( hr == (dead ? MAPI_E_INVALID_OBJECT : S_OK), "Advise returned %#lx.\n", hr );
    if (hr == S_OK) IMAPITable_Unadvise( table, connection );
    ok_(__FILE__, line)( sink.refcount == 1, "sink still referenced.\n" );
}
#define check_table_dead(a, b) check_table_dead_( __LINE__, a, b )

/* Q4, R6.5, R7.11: what a session gave out dies at its Logoff; what
 * MAPIAdminProfiles gave out lives on until the final MAPIUninitialize */
static void test_objects_after_logoff(void)
{
    IMAPITable *stores, *services_table, *provider_table, *ab_table, *profiles, *global_services_table, *table;
    IMsgServiceAdmin *services, *global_services, *admin2;
    IProviderAdmin *providers;
    IProfSect *section, *global_section;
    IABContainer *root;
    IMAPISession *session;
    IAddrBook *book;
    IProfAdmin *admin;
    SPropValue *props;
    SRowSet *rows;
    MAPIUID service;
    SPropValue *prop;
    ULONG type, count;
    LONG buffers;
    HRESULT hr;

    if (!(session = logon( &admin, &buffers ))) return;

    hr = IMAPISession_GetMsgStoresTable( session, 0, &stores );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    hr = IMAPISession_AdminServices( session, 0, &services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0, &services_table );
    ok( hr == S_OK, "GetMsgServiceTable returned %#lx.\n", hr );
    rows = query_table( services_table, 1 );
    prop = rows && rows->cRows ? row_prop( &rows->aRow[0], PR_SERVICE_UID ) : NULL;
    ok( prop && prop->Value.bin.cb == sizeof(service), "no PR_SERVICE_UID.\n" );
    if (prop) memcpy( &service, prop->Value.bin.lpb, sizeof(service) );
    if (rows) pFreeProws( rows );
    hr = IMsgServiceAdmin_AdminProviders( services, &service, 0, &providers );
    ok( hr == S_OK, "AdminProviders returned %#lx.\n", hr );
    hr = IProviderAdmin_GetProviderTable( providers, 0, &provider_table );
    ok( hr == S_OK, "GetProviderTable returned %#lx.\n", hr );
    hr = IMAPISession_OpenProfileSection( session, &service, NULL, 0, &section );
    ok( hr == S_OK, "OpenProfileSection returned %#lx.\n", hr );
    hr = IMAPISession_OpenAddressBook( session, 0, NULL, AB_NO_DIALOG, &book );
    ok( hr == S_OK, "OpenAddressBook returned %#lx.\n", hr );
    hr = IAddrBook_OpenEntry( book, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    hr = IABContainer_GetHierarchyTable( root, 0, &ab_table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );

    /* objects that belong to no session */
    hr = IProfAdmin_GetProfileTable( admin, 0, &profiles );
    ok( hr == S_OK, "GetProfileTable returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)profile_name, NULL, 0, 0, &global_services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_GetMsgServiceTable( global_services, 0, &global_services_table );
    ok( hr == S_OK, "GetMsgServiceTable returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_OpenProfileSection( global_services, &service, NULL, 0, &global_section );
    ok( hr == S_OK, "OpenProfileSection returned %#lx.\n", hr );

    check_table_dead( stores, FALSE );
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    check_log( "" );

    check_table_dead( stores, TRUE );
    check_table_dead( services_table, TRUE );
    check_table_dead( provider_table, TRUE );
    check_table_dead( ab_table, TRUE );
    hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetMsgServiceTable returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_AdminProviders( services, &service, 0, (IProviderAdmin **)&table );
    ok( hr == MAPI_E_INVALID_OBJECT, "AdminProviders returned %#lx.\n", hr );
    hr = IProviderAdmin_GetProviderTable( providers, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProviderTable returned %#lx.\n", hr );
    hr = IProfSect_GetProps( section, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps returned %#lx.\n", hr );
    hr = IABContainer_GetHierarchyTable( root, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetHierarchyTable returned %#lx.\n", hr );

    hr = IProviderAdmin_OpenProfileSection( providers, &service, NULL, 0, (IProfSect **)&table );
    ok( hr == MAPI_E_INVALID_OBJECT, "OpenProfileSection returned %#lx.\n", hr );
    ok( !IProviderAdmin_Release( providers ), "provider admin still referenced.\n" );
    ok( !IMsgServiceAdmin_Release( services ), "service admin still referenced.\n" );
    ok( !IMAPITable_Release( provider_table ), "provider table still referenced.\n" );
    ok( !IMAPITable_Release( services_table ), "service table still referenced.\n" );
    ok( !IMAPITable_Release( stores ), "stores table still referenced.\n" );
    ok( !IProfSect_Release( section ), "profile section still referenced.\n" );
    ok( !IMAPITable_Release( ab_table ), "hierarchy table still referenced.\n" );
    ok( !IABContainer_Release( root ), "root container still referenced.\n" );
    ok( !IAddrBook_Release( book ), "address book still referenced.\n" );
    ok( !IMAPISession_Release( session ), "session still referenced.\n" );

    /* the session's end leaves them alone */
    check_table_dead( profiles, FALSE );
    check_table_dead( global_services_table, FALSE );
    hr = IMsgServiceAdmin_AdminProviders( global_services, &service, 0, &providers );
    ok( hr == S_OK, "AdminProviders returned %#lx.\n", hr );
    hr = IProfSect_GetProps( global_section, NULL, 0, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (hr == S_OK) pMAPIFreeBuffer( props );
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    ok( hr == S_OK, "DeleteProfile returned %#lx.\n", hr );
    ok( pMAPIXGetLiveBuffers() == buffers, "%ld buffers alive, expected %ld.\n", pMAPIXGetLiveBuffers(), buffers );

    /* a nested MAPIUninitialize is not the end */
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    pMAPIUninitialize();
    check_table_dead( profiles, FALSE );

    /* the final one is */
    pMAPIUninitialize();
    pmockprov_configure( 0 );
    pmockprov_reset_log();
    check_table_dead( profiles, TRUE );
    check_table_dead( global_services_table, TRUE );
    hr = IProfAdmin_GetProfileTable( admin, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProfileTable returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)profile_name, NULL, 0, 0, &admin2 );
    ok( hr == MAPI_E_INVALID_OBJECT, "AdminServices returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_GetMsgServiceTable( global_services, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetMsgServiceTable returned %#lx.\n", hr );
    hr = IProviderAdmin_GetProviderTable( providers, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProviderTable returned %#lx.\n", hr );
    hr = IProfSect_GetProps( global_section, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps returned %#lx.\n", hr );
    ok( !IProfSect_Release( global_section ), "profile section still referenced.\n" );
    ok( !IProviderAdmin_Release( providers ), "provider admin still referenced.\n" );
    ok( !IMAPITable_Release( global_services_table ), "service table still referenced.\n" );
    ok( !IMsgServiceAdmin_Release( global_services ), "service admin still referenced.\n" );
    ok( !IMAPITable_Release( profiles ), "profile table still referenced.\n" );
    ok( !IProfAdmin_Release( admin ), "profile admin still referenced.\n" );

    /* a new initialization hands out live objects again */
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    hr = IProfAdmin_GetProfileTable( admin, 0, &profiles );
    ok( hr == S_OK, "GetProfileTable returned %#lx.\n", hr );
    if (hr == S_OK) IMAPITable_Release( profiles );
    IProfAdmin_Release( admin );
    pMAPIUninitialize();
}

static BOOL delete_all_profiles( IProfAdmin *admin )
{
    IMAPITable *table;
    SRowSet *rows = NULL;
    SPropValue *prop;
    ULONG i;
    BOOL ret = TRUE;

    if (FAILED(IProfAdmin_GetProfileTable( admin, 0, &table ))) return FALSE;
    IMAPITable_QueryRows( table, 100, 0, &rows );
    for (i = 0; rows && i < rows->cRows; i++)
    {
        if (!(prop = row_prop( &rows->aRow[i], PR_DISPLAY_NAME_A ))) continue;
        if (!strncmp( prop->Value.lpszA, "winemapix", 9 ) || !strcmp( prop->Value.lpszA, "Outlook" ))
            IProfAdmin_DeleteProfile( admin, (WCHAR *)prop->Value.lpszA, 0 );
        else ret = FALSE;
    }
    if (rows) pFreeProws( rows );
    IMAPITable_Release( table );
    return ret;
}

static void test_default_profile(void)
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_PST_PATH_W } };
    WCHAR expected[MAX_PATH];
    IMsgServiceAdmin *services;
    IProviderAdmin *providers;
    IMAPISession *session;
    IMAPITable *table;
    IProfSect *section;
    IProfAdmin *admin;
    SPropValue *props, *prop;
    SRowSet *rows;
    LONG buffers;
    ULONG count;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    buffers = pMAPIXGetLiveBuffers();
    pMAPIAdminProfiles( 0, &admin );
    if (!delete_all_profiles( admin ))
    {
        skip( "the prefix has profiles of its own.\n" );
        IProfAdmin_Release( admin );
        pMAPIUninitialize();
        return;
    }

    /* MAPI_USE_DEFAULT and no profile at all: the default profile is made */
    hr = pMAPILogonEx( 0, NULL, NULL, MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_NEW_SESSION, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    if (hr != S_OK)
    {
        IProfAdmin_Release( admin );
        pMAPIUninitialize();
        return;
    }
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    rows = query_table( table, 1 );
    prop = rows && rows->cRows ? row_prop( &rows->aRow[0], PR_DEFAULT_STORE ) : NULL;
    ok( prop && prop->Value.b, "the store is not the default.\n" );
    if (rows) pFreeProws( rows );
    IMAPITable_Release( table );

    /* the store provider's section holds the path */
    GetEnvironmentVariableW( L"LOCALAPPDATA", expected, MAX_PATH );
    lstrcatW( expected, L"\\Microsoft\\Outlook\\Outlook.pst" );
    hr = IMAPISession_AdminServices( session, 0, &services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0, &table );
    ok( hr == S_OK, "GetMsgServiceTable returned %#lx.\n", hr );
    rows = query_table( table, 1 );
    prop = rows && rows->cRows ? row_prop( &rows->aRow[0], PR_SERVICE_NAME_A ) : NULL;
    ok( prop && !strcmp( prop->Value.lpszA, "MSUPST MS" ), "wrong service.\n" );
    prop = rows && rows->cRows ? row_prop( &rows->aRow[0], PR_SERVICE_UID ) : NULL;
    ok( prop != NULL, "no PR_SERVICE_UID.\n" );
    if (prop)
    {
        hr = IMsgServiceAdmin_OpenProfileSection( services, (MAPIUID *)prop->Value.bin.lpb, NULL, 0, &section );
        ok( hr == S_OK, "OpenProfileSection returned %#lx.\n", hr );
        hr = IProfSect_GetProps( section, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        ok( hr == S_OK && !lstrcmpiW( props[0].Value.lpszW, expected ), "got path %s, expected %s.\n",
            hr == S_OK ? wine_dbgstr_w(props[0].Value.lpszW) : "", wine_dbgstr_w(expected) );
        if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
        IProfSect_Release( section );
        hr = IMsgServiceAdmin_AdminProviders( services, (MAPIUID *)prop->Value.bin.lpb, 0, &providers );
        ok( hr == S_OK, "AdminProviders returned %#lx.\n", hr );
        if (hr == S_OK) IProviderAdmin_Release( providers );
    }
    if (rows) pFreeProws( rows );
    IMAPITable_Release( table );
    IMsgServiceAdmin_Release( services );
    IMAPISession_Release( session );

    /* a NULL profile now means the new default */
    hr = pMAPILogonEx( 0, NULL, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_LOGON_UI | MAPI_PASSWORD_UI,
                       &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    if (hr == S_OK) IMAPISession_Release( session );

    /* no default, but a profile exists: nothing is made, and no UI can choose */
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)"Outlook", 0 );
    ok( hr == S_OK, "DeleteProfile returned %#lx.\n", hr );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile_name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = pMAPILogonEx( 0, NULL, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_USE_DEFAULT, &session );
    ok( hr == MAPI_E_LOGON_FAILED, "MAPILogonEx returned %#lx.\n", hr );
    hr = pMAPILogonEx( 0, NULL, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_LOGON_UI, &session );
    ok( hr == MAPI_E_LOGON_FAILED, "MAPILogonEx returned %#lx.\n", hr );
    ok( !session, "got session %p.\n", session );
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    IProfAdmin_Release( admin );
    ok( pMAPIXGetLiveBuffers() == buffers, "%ld buffers alive, expected %ld.\n", pMAPIXGetLiveBuffers(), buffers );
    pMAPIUninitialize();
}

/* Services added and deleted through the session show in its open stores table. */
static void test_stores_table_follows_profile(void)
{
    IMsgServiceAdmin *services;
    IMAPITable *table, *services_table;
    IMAPISession *session;
    IProfAdmin *admin;
    struct sink sink;
    SPropValue *prop;
    ULONG count, connection;
    SRowSet *rows = NULL;
    MAPIUID uid;
    LONG buffers;
    HRESULT hr;

    if (!(session = logon( &admin, &buffers ))) return;
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (hr != S_OK)
    {
        logoff( session, admin, buffers );
        return;
    }
    init_sink( &sink );
    hr = IMAPITable_Advise( table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 2, "got %#lx, %lu rows.\n", hr, count );

    hr = IMAPISession_AdminServices( session, 0, &services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"MSUPST MS", NULL, 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 3, "the new service's store is not in the table: %lu rows.\n", count );
    ok( sink.count && sink.last_event == fnevTableModified, "no table notification: %u, %#lx.\n",
        sink.count, sink.last_event );
    ok( sink.table_events & (1u << TABLE_ROW_ADDED), "no TABLE_ROW_ADDED: events %#lx.\n", sink.table_events );

    /* and leaves with its service */
    hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0, &services_table );
    ok( hr == S_OK, "GetMsgServiceTable returned %#lx.\n", hr );
    memset( &uid, 0, sizeof(uid) );
    while (SUCCEEDED(IMAPITable_QueryRows( services_table, 1, 0, &rows )) && rows && rows->cRows)
    {
        prop = pPpropFindProp( rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_SERVICE_NAME_A );
        if (prop && !strcmp( prop->Value.lpszA, "MSUPST MS" ))
        {
            prop = pPpropFindProp( rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_SERVICE_UID );
            if (prop && prop->Value.bin.cb == sizeof(uid)) memcpy( &uid, prop->Value.bin.lpb, sizeof(uid) );
        }
        pFreeProws( rows );
        rows = NULL;
    }
    if (rows) pFreeProws( rows );
    IMAPITable_Release( services_table );
    sink.count = sink.table_events = 0;
    hr = IMsgServiceAdmin_DeleteMsgService( services, &uid );
    ok( hr == S_OK, "DeleteMsgService returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 2, "the deleted service's store is still in the table: %lu rows.\n", count );
    ok( sink.count && (sink.table_events & (1u << TABLE_ROW_DELETED)), "got %u, table events %#lx.\n",
        sink.count, sink.table_events );
    IMsgServiceAdmin_Release( services );

    IMAPITable_Unadvise( table, connection );
    IMAPITable_Release( table );
    IMAPISession_Logoff( session, 0, 0, 0 );
    logoff( session, admin, buffers );
}

/* IMAPISupport::ModifyProfile: what a provider wrote to its section shows
 * in the stores table, unless the store is temporary. */
static void test_modify_profile(void)
{
    IMAPISession *session;
    IMAPISupport *support;
    IMAPITable *table;
    IProfSect *section;
    IMsgStore *store;
    IProfAdmin *admin;
    SPropValue prop;
    SRowSet *rows;
    ENTRYID *entry;
    ULONG size;
    LONG buffers;
    HRESULT hr;

    if (!(session = logon( &admin, &buffers ))) return;
    IMAPISession_GetMsgStoresTable( session, 0, &table );
    rows = query_table( table, 2 );
    entry = copy_entryid( find_row( rows, PR_DISPLAY_NAME_A, "Second Store" ), &size );
    pFreeProws( rows );
    hr = IMAPISession_OpenMsgStore( session, 0, size, entry, NULL, MDB_NO_DIALOG, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    support = pmockprov_get_support();
    ok( support != NULL, "no support object.\n" );
    if (hr != S_OK || !support)
    {
        free( entry );
        IMAPITable_Release( table );
        logoff( session, admin, buffers );
        return;
    }

    hr = IMAPISupport_OpenProfileSection( support, NULL, MAPI_MODIFY, &section );
    ok( hr == S_OK, "OpenProfileSection returned %#lx.\n", hr );
    prop.ulPropTag = PR_DISPLAY_NAME_A;
    prop.Value.lpszA = (char *)"Renamed Store";
    hr = IProfSect_SetProps( section, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    IProfSect_Release( section );

    hr = IMAPISupport_ModifyProfile( support, 0x1 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "ModifyProfile returned %#lx.\n", hr );
    hr = IMAPISupport_ModifyProfile( support, MDB_TEMPORARY );
    ok( hr == S_OK, "ModifyProfile returned %#lx.\n", hr );
    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    rows = query_table( table, 2 );
    ok( !find_row( rows, PR_DISPLAY_NAME_A, "Renamed Store" ), "a temporary store changed the table.\n" );
    pFreeProws( rows );
    hr = IMAPISupport_ModifyProfile( support, 0 );
    ok( hr == S_OK, "ModifyProfile returned %#lx.\n", hr );
    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    rows = query_table( table, 2 );
    ok( find_row( rows, PR_DISPLAY_NAME_A, "Renamed Store" ) != NULL, "the new name is not in the table.\n" );
    pFreeProws( rows );

    free( entry );
    IMsgStore_Release( store );
    IMAPITable_Release( table );
    IMAPISession_Logoff( session, 0, 0, 0 );
    logoff( session, admin, buffers );
}

START_TEST(session)
{
    if (!load_winemapix() || !extract_provider()) return;
    if (!install_inf()) return;

    test_msg_stores_table();
    test_stores_table_follows_profile();
    test_modify_profile();
    test_set_default_store();
    test_shared_session();
    test_objects_after_logoff();
    test_default_profile();

    restore_inf();
    FreeLibrary( mockprov );
    DeleteFileA( provider_path );
}
