/*
 * End to end: a PST store set up and torn down through Wine's mapi32,
 * winemapix and winepst
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
 * The test behaves like a program that adds a PST to a profile the way
 * Outlook allows it: CreateMsgService("MSUPST MS"), ConfigureMsgService
 * with PR_PST_PATH_W, log on, open the store.  The runner registered
 * winemapix (DLLPathEx) and winepst (mapisvc.inf) in the
 * prefix with regsvr32.  Then each teardown order of spec §10 runs through
 * the real stack.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"
#include "mapi32_test.h"

#define PR_PST_PATH_W  PROP_TAG(PT_UNICODE, 0x6700)

static const char profile_name[] = "winepst end-to-end";
static const WCHAR profile_name_w[] = L"winepst end-to-end";
static WCHAR pst_path[MAX_PATH];
static WCHAR sample_path[MAX_PATH];

/* the store's entry ID, as configuring the service recorded it */
static BYTE store_entryid[1024];
static ULONG store_entryid_size;

/* pstsdk_sample1.pst's store display name, read with pypff */
static const WCHAR sample1_name[] = L"sample1";

static BOOL files_equal( const WCHAR *path1, const WCHAR *path2 )
{
    HANDLE file1, file2;
    char buf1[4096], buf2[4096];
    DWORD read1, read2;
    BOOL ret = FALSE;

    file1 = CreateFileW( path1, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL );
    file2 = CreateFileW( path2, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL );
    if (file1 != INVALID_HANDLE_VALUE && file2 != INVALID_HANDLE_VALUE)
    {
        for (;;)
        {
            if (!ReadFile( file1, buf1, sizeof(buf1), &read1, NULL )
                    || !ReadFile( file2, buf2, sizeof(buf2), &read2, NULL ))
                break;
            if (read1 != read2 || memcmp( buf1, buf2, read1 )) break;
            if (!read1)
            {
                ret = TRUE;
                break;
            }
        }
    }
    if (file1 != INVALID_HANDLE_VALUE) CloseHandle( file1 );
    if (file2 != INVALID_HANDLE_VALUE) CloseHandle( file2 );
    return ret;
}

/* registration by the runner's regsvr32 */
static void test_registration(void)
{
    WCHAR path[MAX_PATH];
    char data[65536];
    DWORD size = 0;
    HANDLE file;

    GetSystemDirectoryW( path, MAX_PATH );
    wcscat( path, L"\\mapisvc.inf" );
    file = CreateFileW( path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL );
    ok( file != INVALID_HANDLE_VALUE, "no mapisvc.inf: %lu.\n", GetLastError() );
    if (file == INVALID_HANDLE_VALUE) return;
    ReadFile( file, data, sizeof(data) - 1, &size, NULL );
    CloseHandle( file );
    data[size] = 0;
    ok( strstr( data, "\nMSUPST MS=" ) != NULL, "MSUPST MS is not in [Services].\n" );
    ok( strstr( data, "\nMSPST MS=" ) != NULL, "MSPST MS is not in [Services].\n" );
    ok( strstr( data, "PR_SERVICE_DLL_NAME=winepst.dll" ) != NULL, "no service DLL name.\n" );

    /* MAPI would load "winepst.dll" from winepst32.dll (R1.12); there is
     * none, so winemapix must load it under its registered name */
    GetSystemDirectoryW( path, MAX_PATH );
    wcscat( path, L"\\winepst32.dll" );
    ok( GetFileAttributesW( path ) == INVALID_FILE_ATTRIBUTES, "a winepst32.dll exists.\n" );
}

/* PR_ENTRYID of the service's store provider section */
static void read_store_entryid( IMsgServiceAdmin *admin, const MAPIUID *service )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    const SPropValue *provider, *owner;
    IProfSect *section;
    IMAPITable *table;
    SPropValue *props;
    SRowSet *rows;
    ULONG i, count;
    HRESULT hr;

    store_entryid_size = 0;
    hr = IMsgServiceAdmin_GetProviderTable( admin, 0, &table );
    ok( hr == S_OK, "GetProviderTable returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    while (!store_entryid_size && SUCCEEDED(IMAPITable_QueryRows( table, 10, 0, &rows )) && rows->cRows)
    {
        for (i = 0; i < rows->cRows && !store_entryid_size; i++)
        {
            provider = row_prop( &rows->aRow[i], PR_PROVIDER_UID );
            owner = row_prop( &rows->aRow[i], PR_SERVICE_UID );
            if (!provider || !owner || memcmp( owner->Value.bin.lpb, service, sizeof(*service) )) continue;
            hr = IMsgServiceAdmin_OpenProfileSection( admin, (MAPIUID *)provider->Value.bin.lpb, NULL, 0, &section );
            ok( hr == S_OK, "OpenProfileSection returned %#lx.\n", hr );
            if (FAILED(hr)) continue;
            hr = IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props );
            ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
            if (hr == S_OK && props[0].ulPropTag == PR_ENTRYID && props[0].Value.bin.cb <= sizeof(store_entryid))
            {
                memcpy( store_entryid, props[0].Value.bin.lpb, props[0].Value.bin.cb );
                store_entryid_size = props[0].Value.bin.cb;
            }
            if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
            IProfSect_Release( section );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
}

static void test_create_profile(void)
{
    WCHAR bad_path[MAX_PATH], temp[MAX_PATH];
    IMsgServiceAdmin *admin;
    IProfAdmin *profiles;
    SPropValue props[2];
    DWORD written;
    MAPIUID uid;
    HANDLE file;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &profiles );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile_name, 0 );
    hr = IProfAdmin_CreateProfile( profiles, (WCHAR *)profile_name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( profiles, (WCHAR *)profile_name, NULL, 0, 0, &admin );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (FAILED(hr))
    {
        IProfAdmin_Release( profiles );
        return;
    }

    /* the service entry point runs from winepst.dll, loaded by its registered name */
    hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)"MSUPST MS", (WCHAR *)"PST test", 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    ok( GetModuleHandleA( "winepst.dll" ) != NULL, "MAPI did not load winepst.dll.\n" );
    ok( find_service( admin, &uid ), "the service is not in the profile.\n" );

    /* a file that is no PST is refused */
    GetTempPathW( ARRAY_SIZE(temp), temp );
    GetTempFileNameW( temp, L"pst", 0, bad_path );
    file = CreateFileW( bad_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    WriteFile( file, "This is not a Personal Folders file, only some text in a file.", 63, &written, NULL );
    CloseHandle( file );
    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = bad_path;
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, 0, 1, props );
    ok( hr == MAPI_E_CORRUPT_STORE, "configuring a text file returned %#lx.\n", hr );
    DeleteFileW( bad_path );

    props[0].Value.lpszW = pst_path;
    props[1].ulPropTag = PR_DISPLAY_NAME_W;
    props[1].Value.lpszW = (WCHAR *)L"End-to-end PST";
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, 0, 2, props );
    ok( hr == S_OK, "ConfigureMsgService returned %#lx.\n", hr );

    read_store_entryid( admin, &uid );
    ok( store_entryid_size > 0, "configuring recorded no store entry ID.\n" );

    IMsgServiceAdmin_Release( admin );
    IProfAdmin_Release( profiles );
}

static IMAPISession *logon(void)
{
    IMAPISession *session = NULL;
    HRESULT hr;

    hr = pMAPILogonEx( 0, (WCHAR *)profile_name_w, NULL,
                       MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_EXPLICIT_PROFILE | MAPI_UNICODE, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    return SUCCEEDED(hr) ? session : NULL;
}

/* The store, through the message stores table when MAPI has one, else by
 * the entry ID configuration recorded in the profile. */
static IMsgStore *open_store( IMAPISession *session )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_MDB_PROVIDER } };
    static BOOL reported;
    ENTRYID *entry = (ENTRYID *)store_entryid;
    ULONG entry_size = store_entryid_size;
    IMsgStore *store = NULL;
    SRowSet *rows = NULL;
    IMAPITable *table;
    const SPropValue *prop;
    HRESULT hr;

    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    if (hr == S_OK)
    {
        IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
        hr = IMAPITable_QueryRows( table, 10, 0, &rows );
        ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
        ok( rows && rows->cRows == 1, "%lu stores in the table.\n", rows ? rows->cRows : 0 );
        if (rows && rows->cRows && (prop = row_prop( &rows->aRow[0], PR_ENTRYID )))
        {
            entry = (ENTRYID *)prop->Value.bin.lpb;
            entry_size = prop->Value.bin.cb;
        }
        IMAPITable_Release( table );
    }
    else
    {
        ok( hr == MAPI_E_NO_SUPPORT, "GetMsgStoresTable returned %#lx.\n", hr );
        if (!reported) trace( "no message stores table yet; using PR_ENTRYID of the provider section.\n" );
        reported = TRUE;
    }

    hr = IMAPISession_OpenMsgStore( session, 0, entry_size, entry, NULL, MDB_NO_DIALOG, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    if (rows) free_rows( rows );
    return SUCCEEDED(hr) ? store : NULL;
}

static void check_store_alive( IMsgStore *store )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    ok( count == 1 && props[0].ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( props[0].Value.lpszW, sample1_name ),
        "display name %s.\n", props[0].ulPropTag == PR_DISPLAY_NAME_W ? wine_dbgstr_w(props[0].Value.lpszW) : "" );
    pMAPIFreeBuffer( props );
}

#define check_store_dead(a) check_store_dead_( __LINE__, a )
static void check_store_dead_( unsigned int line, IMsgStore *store )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *props = NULL;
    ULONG count, type;
    IUnknown *unk;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, 0, &count, &props );
    ok_( __FILE__, line )( hr == MAPI_E_INVALID_OBJECT, "GetProps on a dead store returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0, &type, &unk );
    ok_( __FILE__, line )( hr == MAPI_E_INVALID_OBJECT, "OpenEntry on a dead store returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
}

static HRESULT (WINAPI *winepst_can_unload(void))(void)
{
    HMODULE module = GetModuleHandleA( "winepst.dll" );
    return module ? (void *)GetProcAddress( module, "DllCanUnloadNow" ) : NULL;
}

/* (a) StoreLogoff, then Release */
static void test_store_logoff_release( IMAPISession *session )
{
    IMsgStore *store;
    ULONG flags, ref;
    HRESULT hr;

    if (!(store = open_store( session ))) return;
    check_store_alive( store );
    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == S_OK, "StoreLogoff returned %#lx.\n", hr );
    ok( flags == LOGOFF_COMPLETE, "StoreLogoff flags %#lx.\n", flags );
    ref = IMsgStore_Release( store );
    ok( !ref, "Release returned %lu.\n", ref );

    /* the store logon is gone: opening it again makes a new one */
    if (!(store = open_store( session ))) return;
    check_store_alive( store );
    ref = IMsgStore_Release( store );
    ok( !ref, "Release returned %lu.\n", ref );
}

/* (b) Release only */
static void test_release_only( IMAPISession *session )
{
    IMsgStore *store, *store2;
    ULONG ref;

    if (!(store = open_store( session ))) return;
    /* the same store twice in a session shares one logon (R2.9) */
    if ((store2 = open_store( session )))
    {
        check_store_alive( store2 );
        ref = IMsgStore_Release( store2 );
        ok( ref == 1, "Release of the second reference returned %lu.\n", ref );
    }
    check_store_alive( store );
    ref = IMsgStore_Release( store );
    ok( !ref, "Release returned %lu.\n", ref );
}

/* (c) IMAPISession::Logoff with the store and objects opened through it held */
static void test_session_logoff(void)
{
    IMAPISession *session;
    IMAPIFolder *folder = NULL;
    IMAPITable *table = NULL;
    IMsgStore *store;
    IUnknown *unk = NULL;
    HRESULT (WINAPI *can_unload)(void);
    ULONG type, ref, rows;
    HRESULT hr;

    if (!(session = logon())) return;
    if (!(store = open_store( session )))
    {
        IMAPISession_Release( session );
        return;
    }
    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0, &type, &unk );
    ok( hr == S_OK || hr == MAPI_E_NO_SUPPORT, "OpenEntry of the root returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( type == MAPI_FOLDER, "root type %lu.\n", type );
        folder = (IMAPIFolder *)unk;
        hr = IMAPIFolder_GetHierarchyTable( folder, 0, &table );
        ok( hr == S_OK || hr == MAPI_E_NO_SUPPORT, "GetHierarchyTable returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            hr = IMAPITable_GetRowCount( table, 0, &rows );
            ok( hr == S_OK && rows > 0, "GetRowCount returned %#lx, %lu rows.\n", hr, rows );
        }
    }
    else skip( "no folders yet.\n" );

    can_unload = winepst_can_unload();
    ok( can_unload && can_unload() == S_FALSE, "winepst can unload with a store open.\n" );

    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );

    /* everything held is dead, and freed by its last Release */
    check_store_dead( store );
    if (folder)
    {
        static const SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
        SPropValue *props;
        ULONG count;

        hr = IMAPIFolder_GetProps( folder, (SPropTagArray *)&tags, 0, &count, &props );
        ok( hr == MAPI_E_INVALID_OBJECT, "GetProps on a dead folder returned %#lx.\n", hr );
        hr = IMAPIFolder_GetContentsTable( folder, 0, (IMAPITable **)&unk );
        ok( hr == MAPI_E_INVALID_OBJECT, "GetContentsTable on a dead folder returned %#lx.\n", hr );
    }
    if (table)
    {
        hr = IMAPITable_GetRowCount( table, 0, &rows );
        ok( hr == MAPI_E_INVALID_OBJECT, "GetRowCount on a dead table returned %#lx.\n", hr );
        ref = IMAPITable_Release( table );
        ok( !ref, "table Release returned %lu.\n", ref );
    }
    if (folder)
    {
        ref = IMAPIFolder_Release( folder );
        ok( !ref, "folder Release returned %lu.\n", ref );
    }
    ok( can_unload && can_unload() == S_FALSE, "winepst can unload with a dead store still held.\n" );
    ref = IMsgStore_Release( store );
    ok( !ref, "store Release returned %lu.\n", ref );
    ref = IMAPISession_Release( session );
    ok( !ref, "session Release returned %lu.\n", ref );
    ok( can_unload && can_unload() == S_OK, "winepst has objects alive after the teardown.\n" );
}

/* (d) the session released without Logoff, with the store still held */
static void test_session_release(void)
{
    IMAPISession *session;
    IMsgStore *store;
    ULONG ref;

    if (!(session = logon())) return;
    if (!(store = open_store( session )))
    {
        IMAPISession_Release( session );
        return;
    }
    ref = IMAPISession_Release( session );
    ok( !ref, "session Release returned %lu.\n", ref );
    /* an implicit Logoff ran */
    check_store_dead( store );
    ref = IMsgStore_Release( store );
    ok( !ref, "store Release returned %lu.\n", ref );
}

/* (d) the final MAPIUninitialize without Logoff */
static void test_uninitialize(void)
{
    HRESULT (WINAPI *can_unload)(void);
    IMAPISession *session;
    IMsgStore *store;
    ULONG ref;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (!(session = logon())) return;
    if ((store = open_store( session ))) check_store_alive( store );
    pMAPIUninitialize();

    if (store)
    {
        check_store_dead( store );
        ref = IMsgStore_Release( store );
        ok( !ref, "store Release returned %lu.\n", ref );
    }
    ref = IMAPISession_Release( session );
    ok( !ref, "session Release returned %lu.\n", ref );
    if ((can_unload = winepst_can_unload())) ok( can_unload() == S_OK, "winepst has objects alive.\n" );
}

START_TEST(pststore)
{
    IMAPISession *session;
    IProfAdmin *profiles;
    HMODULE mapi32;
    ULONG ref;
    HRESULT hr;

    if (!(mapi32 = load_mapi32())) return;

    test_registration();
    if (!copy_sample( "pstsdk_sample1.pst", pst_path, sample_path ))
    {
        skip( "no sample PST.\n" );
        return;
    }

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    test_create_profile();
    if (!store_entryid_size)
    {
        pMAPIUninitialize();
        DeleteFileW( pst_path );
        return;
    }

    if ((session = logon()))
    {
        test_store_logoff_release( session );
        test_release_only( session );
        hr = IMAPISession_Logoff( session, 0, 0, 0 );
        ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
        ref = IMAPISession_Release( session );
        ok( !ref, "session Release returned %lu.\n", ref );
    }
    /* a second logon to the same profile after Logoff */
    test_session_logoff();
    test_session_release();
    pMAPIUninitialize();

    test_uninitialize();

    /* MAPI can start again, and the file still opens */
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if ((session = logon()))
    {
        IMsgStore *store = open_store( session );
        if (store)
        {
            check_store_alive( store );
            IMsgStore_Release( store );
        }
        IMAPISession_Logoff( session, 0, 0, 0 );
        IMAPISession_Release( session );
    }
    if (SUCCEEDED(pMAPIAdminProfiles( 0, &profiles )))
    {
        hr = IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile_name, 0 );
        ok( hr == S_OK, "DeleteProfile returned %#lx.\n", hr );
        IProfAdmin_Release( profiles );
    }
    pMAPIUninitialize();

    ok( files_equal( pst_path, sample_path ), "the PST file changed.\n" );
    DeleteFileW( pst_path );
    FreeLibrary( mapi32 );
}
