/*
 * End to end: a logon cycle through Wine's own mapi32.dll with a store provider
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
 * The application's view: everything goes through mapi32.dll, which sends
 * Extended MAPI to winemapix.  The store provider is winemapix's test mock
 * (dlls/winemapix/tests/mockprov.dll, found from this executable's
 * directory), registered through a mapisvc.inf of the test's own for the
 * duration of the test.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapiutil.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"

static HRESULT (WINAPI *pMAPIInitialize)(void *);
static void (WINAPI *pMAPIUninitialize)(void);
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);
static HRESULT (WINAPI *pMAPILogonEx)(ULONG_PTR, char *, char *, ULONG, IMAPISession **);
static HRESULT (WINAPI *pMAPIAdminProfiles)(ULONG, IProfAdmin **);
static void (WINAPI *pFreeProws)(SRowSet *);
static LONG (WINAPI *pMAPIXGetLiveBuffers)(void);

static void (CDECL *pmockprov_configure)(ULONG);
static const char *(CDECL *pmockprov_get_log)(void);
static void (CDECL *pmockprov_reset_log)(void);

/* must match dlls/winemapix/tests/mockprov.c */
#define MOCK_PROFILE 0x10

static const char profile_name[] = "winemapix end to end";
static char provider_name[MAX_PATH], provider_path[MAX_PATH];
static char inf_path[MAX_PATH], backup_path[MAX_PATH];
static HMODULE mockprov;

/* Copies the mock provider to <temp>\mapixe2e\mockprov32.dll; MAPI adds the "32" (R1.12). */
static BOOL setup_provider(void)
{
    char dir[MAX_PATH], source[MAX_PATH], *p;

    GetModuleFileNameA( NULL, source, ARRAY_SIZE(source) );
    if ((p = strrchr( source, '\\' ))) *p = 0;
    strcat( source, "\\..\\dlls\\winemapix\\tests\\mockprov.dll" );
    GetTempPathA( ARRAY_SIZE(dir), dir );
    strcat( dir, "mapixe2e" );
    CreateDirectoryA( dir, NULL );
    sprintf( provider_path, "%s\\mockprov32.dll", dir );
    if (!CopyFileA( source, provider_path, FALSE ))
    {
        ok( 0, "cannot copy %s, error %lu.\n", source, GetLastError() );
        return FALSE;
    }
    if (strchr( dir, '.' ))
    {
        SetDllDirectoryA( dir );
        strcpy( provider_name, "mockprov.dll" );
    }
    else sprintf( provider_name, "%s\\mockprov.dll", dir );

    /* loaded here too, so that its log outlives MAPI's FreeLibrary */
    mockprov = LoadLibraryA( provider_path );
    ok( mockprov != NULL, "cannot load %s, error %lu.\n", provider_path, GetLastError() );
    if (!mockprov) return FALSE;
    pmockprov_configure = (void *)GetProcAddress( mockprov, "mockprov_configure" );
    pmockprov_get_log = (void *)GetProcAddress( mockprov, "mockprov_get_log" );
    pmockprov_reset_log = (void *)GetProcAddress( mockprov, "mockprov_reset_log" );
    return pmockprov_configure && pmockprov_get_log && pmockprov_reset_log;
}

static BOOL install_inf(void)
{
    char data[1024];
    DWORD written;
    HANDLE file;
    BOOL ret;

    sprintf( data, "[Services]\r\nWMXE2E=Winemapix End To End\r\n\r\n"
             "[WMXE2E]\r\nProviders=WMXE2E Store\r\n\r\n"
             "[WMXE2E Store]\r\nPR_DISPLAY_NAME=Store Before Logon\r\nPR_PROVIDER_DISPLAY=Mock Provider\r\n"
             "PR_PROVIDER_DLL_NAME=%s\r\nPR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n"
             "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\r\n", provider_name );
    GetSystemDirectoryA( inf_path, MAX_PATH );
    strcat( inf_path, "\\mapisvc.inf" );
    GetSystemDirectoryA( backup_path, MAX_PATH );
    strcat( backup_path, "\\mapisvc.inf.winemapix-e2e" );
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

static void test_logon_cycle(void)
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    IMsgServiceAdmin *services;
    IMAPISession *session;
    IProfAdmin *admin;
    IMAPITable *table;
    IMsgStore *store;
    ENTRYID *entry;
    SRowSet *rows;
    LONG before, live;
    ULONG size, flags, ref;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    pMAPIXGetLiveBuffers = (void *)GetProcAddress( GetModuleHandleA( "winemapix.dll" ), "MAPIXGetLiveBuffers" );
    ok( pMAPIXGetLiveBuffers != NULL, "mapi32 did not load winemapix.\n" );
    if (!pMAPIXGetLiveBuffers) return;
    before = pMAPIXGetLiveBuffers();

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (hr != S_OK) return;
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile_name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)profile_name, NULL, 0, 0, &services );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (hr != S_OK) return;
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXE2E", NULL, 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    ref = IMsgServiceAdmin_Release( services );
    ok( !ref, "got refcount %lu.\n", ref );

    pmockprov_configure( MOCK_PROFILE );
    pmockprov_reset_log();
    hr = pMAPILogonEx( 0, (char *)profile_name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    if (hr != S_OK) return;
    /* the providers are loaded when a store is opened, not at logon (R1.10) */
    check_log( "" );

    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    ok( rows->cRows == 1, "got %lu rows.\n", rows->cRows );
    ok( rows->aRow[0].lpProps[0].ulPropTag == PR_ENTRYID, "got tag %#lx.\n", rows->aRow[0].lpProps[0].ulPropTag );
    ok( !strcmp( rows->aRow[0].lpProps[1].Value.lpszA, "Store Before Logon" ), "got name %s.\n",
        rows->aRow[0].lpProps[1].Value.lpszA );
    size = rows->aRow[0].lpProps[0].Value.bin.cb;
    entry = malloc( size );
    memcpy( entry, rows->aRow[0].lpProps[0].Value.bin.lpb, size );
    pFreeProws( rows );

    hr = IMAPISession_OpenMsgStore( session, 0, size, entry, NULL, MDB_NO_DIALOG | MDB_WRITE, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    free( entry );
    if (hr != S_OK) return;
    check_log( "MSProviderInit(0,0x10010);Logon(0x5,0);Profile(winemapix end to end);" );

    /* the provider named its store in the profile: the table follows */
    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    ok( rows->cRows == 1 && !strcmp( rows->aRow[0].lpProps[1].Value.lpszA, "Mock Store" ), "row not updated.\n" );
    pFreeProws( rows );
    ref = IMAPITable_Release( table );
    ok( !ref, "got refcount %lu.\n", ref );

    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == S_OK, "StoreLogoff returned %#lx.\n", hr );
    ok( flags == LOGOFF_COMPLETE, "got flags %#lx.\n", flags );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreLogoff(0x1);StoreRelease;StoreLogoffTransports(0x1)=0,0x10000;SupportRelease;Logoff(0);"
               "LogonRelease=0;" );

    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    ref = IMAPISession_Release( session );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "" );

    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)profile_name, 0 );
    ok( hr == S_OK, "DeleteProfile returned %#lx.\n", hr );
    ref = IProfAdmin_Release( admin );
    ok( !ref, "got refcount %lu.\n", ref );

    /* every MAPI buffer of the cycle is freed */
    live = pMAPIXGetLiveBuffers();
    ok( live == before, "%ld buffers alive, expected %ld.\n", live, before );
    pMAPIUninitialize();
    check_log( "" );
    pmockprov_configure( 0 );
}

START_TEST(session)
{
    HMODULE mapi32;

    mapi32 = LoadLibraryA( "mapi32.dll" );
    ok( mapi32 != NULL, "mapi32.dll did not load: %lu.\n", GetLastError() );
    if (!mapi32) return;
    pMAPIInitialize = (void *)GetProcAddress( mapi32, "MAPIInitialize" );
    pMAPIUninitialize = (void *)GetProcAddress( mapi32, "MAPIUninitialize" );
    pMAPIFreeBuffer = (void *)GetProcAddress( mapi32, "MAPIFreeBuffer" );
    pMAPILogonEx = (void *)GetProcAddress( mapi32, "MAPILogonEx" );
    pMAPIAdminProfiles = (void *)GetProcAddress( mapi32, "MAPIAdminProfiles" );
    pFreeProws = (void *)GetProcAddress( mapi32, "FreeProws@4" );
    ok( pMAPIInitialize && pMAPIUninitialize && pMAPIFreeBuffer && pMAPILogonEx && pMAPIAdminProfiles && pFreeProws,
        "mapi32 lacks an export.\n" );
    if (!pMAPIInitialize || !pMAPIUninitialize || !pMAPIFreeBuffer || !pMAPILogonEx || !pMAPIAdminProfiles
            || !pFreeProws)
        return;
    if (!setup_provider() || !install_inf()) return;

    test_logon_cycle();

    restore_inf();
    FreeLibrary( mockprov );
    DeleteFileA( provider_path );
    FreeLibrary( mapi32 );
}
