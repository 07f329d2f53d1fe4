/*
 * Store provider loading and teardown order (spec §10)
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
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"
#include "mapiab.h"

#include "wine/test.h"
#include "winemapix_test.h"

/* must match mockprov.c */
#define MOCK_LOGON_FAILS        0x01
#define MOCK_LOW_VERSION        0x02
#define MOCK_SUPPORT_IN_LOGOFF  0x04
#define MOCK_SUPPORT_IN_RELEASE 0x08

static void (CDECL *pmockprov_configure)(ULONG);
static const char *(CDECL *pmockprov_get_log)(void);
static void (CDECL *pmockprov_reset_log)(void);

static char provider_name[MAX_PATH];
static char provider_path[MAX_PATH];
static HMODULE mockprov;

/* IID_IMsgStore; spi.c instantiates mapiguid.h */
static const GUID iid_msgstore = { 0x00020306, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

static const BYTE store_wrap_uid[16] =
    { 0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a, 0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2 };

/* Write the mock provider out as <dir>\mockprov32.dll; MAPI is told "mockprov.dll" (R1.12). */
static BOOL extract_provider(void)
{
    char dir[MAX_PATH];
    DWORD written;
    HRSRC res;
    HANDLE file;
    void *data;
    BOOL ret;

    GetTempPathA( ARRAY_SIZE(dir), dir );
    strcat( dir, "mapixmock" );
    CreateDirectoryA( dir, NULL );
    sprintf( provider_path, "%s\\mockprov32.dll", dir );

    if ((res = FindResourceA( NULL, "mockprov.dll", "TESTDLL" )))
    {
        data = LockResource( LoadResource( GetModuleHandleA( NULL ), res ) );
        file = CreateFileA( provider_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
        ok( file != INVALID_HANDLE_VALUE, "cannot create %s, error %lu.\n", provider_path, GetLastError() );
        if (file == INVALID_HANDLE_VALUE) return FALSE;
        ret = WriteFile( file, data, SizeofResource( GetModuleHandleA( NULL ), res ), &written, NULL );
        CloseHandle( file );
        ok( ret, "WriteFile failed, error %lu.\n", GetLastError() );
    }
    else
    {
        /* not embedded: the helper DLL is built next to the test executable */
        char source[MAX_PATH], *p;

        GetModuleFileNameA( NULL, source, ARRAY_SIZE(source) );
        if ((p = strrchr( source, '\\' ))) p[1] = 0;
        strcat( source, "mockprov.dll" );
        ret = CopyFileA( source, provider_path, FALSE );
        ok( ret, "no mockprov.dll resource, and cannot copy %s, error %lu.\n", source, GetLastError() );
        if (!ret) return FALSE;
    }

    /* MAPI puts "32" before the first period, so a full path works only without one */
    if (strchr( dir, '.' ))
    {
        SetDllDirectoryA( dir );
        strcpy( provider_name, "mockprov.dll" );
    }
    else sprintf( provider_name, "%s\\mockprov.dll", dir );

    /* keep the module loaded, so that its log and settings outlive MAPI's FreeLibrary */
    mockprov = LoadLibraryA( provider_path );
    ok( mockprov != NULL, "cannot load %s, error %lu.\n", provider_path, GetLastError() );
    if (!mockprov) return FALSE;
    pmockprov_configure = (void *)GetProcAddress( mockprov, "mockprov_configure" );
    pmockprov_get_log = (void *)GetProcAddress( mockprov, "mockprov_get_log" );
    pmockprov_reset_log = (void *)GetProcAddress( mockprov, "mockprov_reset_log" );
    return pmockprov_configure && pmockprov_get_log && pmockprov_reset_log;
}

#define check_log(a) check_log_(__LINE__, a)
static void check_log_( unsigned int line, const char *expected )
{
    const char *log = pmockprov_get_log();

    ok_(__FILE__, line)( !strcmp( log, expected ), "got calls \"%s\", expected \"%s\".\n", log, expected );
    pmockprov_reset_log();
}

static ULONG wrapped_size;
static ENTRYID *wrapped_entry;

static void make_store_entry( const char *name )
{
    BYTE raw[32];
    HRESULT hr;

    memset( raw, 0, sizeof(raw) );
    memset( raw + 4, 0x77, 16 );
    strcpy( (char *)raw + 20, name );
    if (wrapped_entry) pMAPIFreeBuffer( wrapped_entry );
    hr = pWrapStoreEntryID( 0, provider_name, sizeof(raw), (ENTRYID *)raw, &wrapped_size, &wrapped_entry );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
}

static IMsgStore *open_store( IMAPISession *session, HRESULT expected )
{
    IMsgStore *store = (void *)0xdeadbeef;
    HRESULT hr;

    hr = IMAPISession_OpenMsgStore( session, 0, wrapped_size, wrapped_entry, NULL, MDB_NO_DIALOG | MDB_WRITE,
                                    &store );
    ok( hr == expected, "OpenMsgStore returned %#lx, expected %#lx.\n", hr, expected );
    if (FAILED(hr))
    {
        ok( !store, "got store %p.\n", store );
        return NULL;
    }
    return store;
}

static IMAPISession *start( ULONG config, LONG *buffers )
{
    IMAPISession *session = NULL;
    HRESULT hr;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    *buffers = pMAPIXGetLiveBuffers();
    hr = pMAPIXTestCreateSession( 0, &session );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    pmockprov_configure( config );
    pmockprov_reset_log();
    make_store_entry( "store1" );
    return session;
}

static void finish( LONG buffers )
{
    pMAPIFreeBuffer( wrapped_entry );
    wrapped_entry = NULL;
    ok( pMAPIXGetLiveBuffers() == buffers, "%ld buffers alive, expected %ld.\n", pMAPIXGetLiveBuffers(), buffers );
    pMAPIUninitialize();
    pmockprov_configure( 0 );
    pmockprov_reset_log();
}

static const char *open_log = "MSProviderInit(0,0x10010);Logon(0x5,32);";

static void test_wrap_store_entryid(void)
{
    ULONG size, offset;
    ENTRYID *entry;
    BYTE raw[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    HRESULT hr;

    hr = pWrapStoreEntryID( 0, (char *)"abc.dll", sizeof(raw), (ENTRYID *)raw, &size, &entry );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    offset = (4 + 16 + 2 + 8 + 3) & ~3;
    ok( size == offset + sizeof(raw), "got size %lu.\n", size );
    ok( !memcmp( entry->abFlags, "\0\0\0\0", 4 ), "flags not zero.\n" );
    ok( !memcmp( entry->ab, store_wrap_uid, 16 ), "wrong wrapper UID.\n" );
    ok( !entry->ab[16] && !entry->ab[17], "version %u, flag %u.\n", entry->ab[16], entry->ab[17] );
    ok( !strcmp( (char *)entry->ab + 18, "abc.dll" ), "got name %s.\n", (char *)entry->ab + 18 );
    ok( !memcmp( (BYTE *)entry + offset, raw, sizeof(raw) ), "provider ID not at %lu.\n", offset );
    pMAPIFreeBuffer( entry );

    hr = pWrapStoreEntryID( 0x1, (char *)"abc.dll", sizeof(raw), (ENTRYID *)raw, &size, &entry );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );
}

static void test_not_initialized(void)
{
    IMAPISession *session = (void *)0xdeadbeef;
    HRESULT hr;

    hr = pMAPILogonEx( 0, (char *)"nosuchprofile", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session );
    ok( hr == MAPI_E_NOT_INITIALIZED, "Unexpected hr %#lx.\n", hr );
    ok( !session, "got session %p.\n", session );

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    hr = pMAPILogonEx( 0, (char *)"no such profile at all", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session );
    ok( hr == MAPI_E_LOGON_FAILED, "Unexpected hr %#lx.\n", hr );
    ok( !session, "got session %p.\n", session );
    pMAPIUninitialize();
}

/* (a): StoreLogoff(LOGOFF_NO_WAIT), then Release */
static void test_store_logoff_then_release(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    ULONG flags;
    HRESULT hr;
    ULONG ref;

    session = start( 0, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );

    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( flags == LOGOFF_COMPLETE, "got flags %#lx.\n", flags );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    /* R4.8: the support object's final release brings Logoff, then Release */
    check_log( "StoreLogoff(0x1);StoreRelease;StoreLogoffTransports(0x1)=0,0x10000;SupportRelease;"
               "Logoff(0);LogonRelease=0;" );

    /* Q2: the provider object stays until the session logs off, and serves a new logon */
    store = open_store( session, S_OK );
    check_log( "Logon(0x5,32);" );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );

    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    ref = IMAPISession_Release( session );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "" );
    finish( buffers );
}

/* (b): Release only; StoreLogoffTransports gets LOGOFF_ABORT */
static void test_release_only(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    ULONG ref;

    session = start( 0, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );
    IMAPISession_Logoff( session, 0, 0, 0 );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    IMAPISession_Release( session );
    finish( buffers );
}

static void check_invalid_store( IMsgStore *store )
{
    IUnknown *unk = (void *)0xdeadbeef;
    IMAPITable *table;
    ULONG flags, ref;
    HRESULT hr;

    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    hr = IMsgStore_GetReceiveFolderTable( store, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    hr = IMsgStore_QueryInterface( store, &iid_msgstore, (void **)&unk );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    ok( !unk, "got %p.\n", unk );
    ref = IMsgStore_AddRef( store );
    ok( ref == 2, "got refcount %lu.\n", ref );
    ref = IMsgStore_Release( store );
    ok( ref == 1, "got refcount %lu.\n", ref );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "" );
}

static void check_invalid_session( IMAPISession *session )
{
    IMsgStore *store = NULL;
    MAPIERROR *error;
    ULONG count;
    char **types;
    HRESULT hr;

    hr = IMAPISession_OpenMsgStore( session, 0, wrapped_size, wrapped_entry, NULL, 0, &store );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_GetLastError( session, S_OK, 0, &error );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_EnumAdrTypes( session, 0, &count, &types );
    ok( hr == MAPI_E_INVALID_OBJECT, "Unexpected hr %#lx.\n", hr );
    /* Q4: a second Logoff succeeds and reaches no provider */
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    check_log( "" );
}

/* (c): IMAPISession::Logoff while the client still holds the store */
static void test_session_logoff( ULONG config, const char *expected )
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    HRESULT hr;
    ULONG ref;

    winetest_push_context( "config %#lx", config );
    session = start( config, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );

    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    check_log( expected );
    check_invalid_session( session );
    check_invalid_store( store );
    ref = IMAPISession_Release( session );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "" );
    finish( buffers );
    winetest_pop_context();
}

/* R4.9 (ii)/(iii) providers on the store-release path: Logoff waits for the session */
static void test_release_support_late( ULONG config, const char *expected )
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    ULONG ref;

    winetest_push_context( "config %#lx", config );
    session = start( config, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;" );
    IMAPISession_Logoff( session, 0, 0, 0 );
    check_log( expected );
    IMAPISession_Release( session );
    finish( buffers );
    winetest_pop_context();
}

/* (d): Release of a session that was never logged off */
static void test_release_without_logoff(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    ULONG ref;

    session = start( 0, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );
    ref = IMAPISession_Release( session );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "Logoff(0);StoreLogoffTransports(0x8)=0,0x10000;MakeInvalid(1)=0;SupportRelease;LogonRelease=0;"
               "Shutdown(0);ProviderRelease=0;" );
    check_invalid_store( store );
    finish( buffers );
}

/* (d): the final MAPIUninitialize with the session neither logged off nor released */
static void test_uninitialize_without_logoff(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    HRESULT hr;
    ULONG ref;

    session = start( 0, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );

    /* a nested initialization only counts */
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    pMAPIUninitialize();
    check_log( "" );

    pMAPIFreeBuffer( wrapped_entry );
    wrapped_entry = NULL;
    ok( pMAPIXGetLiveBuffers() == buffers, "%ld buffers alive, expected %ld.\n", pMAPIXGetLiveBuffers(), buffers );
    pMAPIUninitialize();
    check_log( "Shutdown(0);ProviderRelease=0;" );

    /* the session stays inert until released */
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ref = IMAPISession_Release( session );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "" );
}

/* R2.9: a second OpenMsgStore of an open store makes no second IMSLogon */
static void test_piggyback(void)
{
    IMAPISession *session;
    IMsgStore *store, *store2;
    LONG buffers;
    ULONG ref;

    session = start( 0, &buffers );
    store = open_store( session, S_OK );
    check_log( open_log );
    store2 = open_store( session, S_OK );
    ok( store2 == store, "got %p and %p.\n", store, store2 );
    check_log( "Logon(0x5,32);Piggyback;" );

    ref = IMsgStore_Release( store2 );
    ok( ref == 1, "got refcount %lu.\n", ref );
    check_log( "" );
    ref = IMsgStore_Release( store );
    ok( !ref, "got refcount %lu.\n", ref );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );
    IMAPISession_Logoff( session, 0, 0, 0 );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    IMAPISession_Release( session );
    finish( buffers );
}

static void test_logon_fails(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;

    session = start( MOCK_LOGON_FAILS, &buffers );
    open_store( session, MAPI_E_LOGON_FAILED );
    /* a provider object with no logon is not kept */
    check_log( "MSProviderInit(0,0x10010);Logon(0x5,32);Shutdown(0);ProviderRelease=0;" );

    pmockprov_configure( 0 );
    store = open_store( session, S_OK );
    check_log( open_log );
    IMsgStore_Release( store );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );
    IMAPISession_Release( session );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    finish( buffers );
}

static void test_version_too_low(void)
{
    IMAPISession *session;
    LONG buffers;

    session = start( MOCK_LOW_VERSION, &buffers );
    open_store( session, MAPI_E_VERSION );
    /* R1.7: released at once, without Shutdown */
    check_log( "MSProviderInit(0,0x10010);ProviderRelease=0;" );
    IMAPISession_Release( session );
    check_log( "" );
    finish( buffers );
}

/* R1.10: one provider object per session */
static void test_two_sessions(void)
{
    IMAPISession *session, *session2;
    IMsgStore *store, *store2;
    LONG buffers;
    HRESULT hr;

    session = start( 0, &buffers );
    hr = pMAPIXTestCreateSession( 0, &session2 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    store = open_store( session, S_OK );
    check_log( open_log );
    store2 = open_store( session2, S_OK );
    ok( store2 != store, "same store.\n" );
    check_log( open_log );

    IMAPISession_Logoff( session, 0, 0, 0 );
    check_log( "Logoff(0);StoreLogoffTransports(0x8)=0,0x10000;MakeInvalid(1)=0;SupportRelease;LogonRelease=0;"
               "Shutdown(0);ProviderRelease=0;" );
    IMsgStore_Release( store );
    ok( IMsgStore_Release( store2 ) == 0, "store2 not released.\n" );
    check_log( "StoreRelease;StoreLogoffTransports(0x8)=0,0x10000;SupportRelease;Logoff(0);LogonRelease=0;" );
    IMAPISession_Release( session2 );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    IMAPISession_Release( session );
    finish( buffers );
}

/* R5.1: StoreLogoffTransports wants exactly one input flag */
static void test_store_logoff_transports_flags(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers;
    ULONG flags;

    session = start( 0, &buffers );
    store = open_store( session, S_OK );
    flags = LOGOFF_NO_WAIT | LOGOFF_ABORT;
    IMsgStore_StoreLogoff( store, &flags );
    check_log( "MSProviderInit(0,0x10010);Logon(0x5,32);StoreLogoff(0x9);" );
    IMsgStore_Release( store );
    check_log( "StoreRelease;StoreLogoffTransports(0x9)=0x80070057,0x9;SupportRelease;Logoff(0);LogonRelease=0;" );

    store = open_store( session, S_OK );
    flags = LOGOFF_PURGE;
    IMsgStore_StoreLogoff( store, &flags );
    IMsgStore_Release( store );
    check_log( "Logon(0x5,32);StoreLogoff(0x4);StoreRelease;StoreLogoffTransports(0x4)=0,0x10000;SupportRelease;"
               "Logoff(0);LogonRelease=0;" );
    IMAPISession_Release( session );
    check_log( "Shutdown(0);ProviderRelease=0;" );
    finish( buffers );
}

static void test_open_entry(void)
{
    IMAPISession *session;
    IUnknown *unk;
    ULONG type;
    BYTE entry[24];
    HRESULT hr;
    LONG buffers;

    session = start( 0, &buffers );
    memset( entry, 0x11, sizeof(entry) );
    hr = IMAPISession_OpenEntry( session, sizeof(entry), (ENTRYID *)entry, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "Unexpected hr %#lx.\n", hr );
    hr = IMAPISession_OpenMsgStore( session, 0, sizeof(entry), (ENTRYID *)entry, NULL, 0, (IMsgStore **)&unk );
    ok( hr == MAPI_E_INVALID_ENTRYID, "Unexpected hr %#lx.\n", hr );
    IMAPISession_Release( session );
    check_log( "" );
    finish( buffers );
}

/* MAPILogonEx on a real profile; its stores then tear down the same way */
static void test_logon_profile(void)
{
    WCHAR name[] = L"winemapix teardown";
    IMsgServiceAdmin *service_admin;
    IMAPISession *session = NULL;
    IProfAdmin *admin;
    IMsgStore *store;
    LONG buffers;
    HRESULT hr;
    ULONG ref;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    buffers = pMAPIXGetLiveBuffers();
    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr))
    {
        pMAPIUninitialize();
        return;
    }
    IProfAdmin_DeleteProfile( admin, name, MAPI_UNICODE );
    hr = IProfAdmin_CreateProfile( admin, name, NULL, 0, MAPI_UNICODE );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );

    hr = pMAPILogonEx( 0, (char *)name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_UNICODE, &session );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (hr == S_OK)
    {
        hr = IMAPISession_AdminServices( session, 0, &service_admin );
        ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
        if (hr == S_OK) IMsgServiceAdmin_Release( service_admin );

        pmockprov_reset_log();
        make_store_entry( "store1" );
        store = open_store( session, S_OK );
        check_log( open_log );
        hr = IMAPISession_Logoff( session, 0, 0, 0 );
        ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
        check_log( "Logoff(0);StoreLogoffTransports(0x8)=0,0x10000;MakeInvalid(1)=0;SupportRelease;"
                   "LogonRelease=0;Shutdown(0);ProviderRelease=0;" );
        check_invalid_store( store );
        ref = IMAPISession_Release( session );
        ok( !ref, "got refcount %lu.\n", ref );
    }

    hr = IProfAdmin_DeleteProfile( admin, name, MAPI_UNICODE );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    IProfAdmin_Release( admin );
    finish( buffers );
}

struct thread_sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    DWORD thread;
    HANDLE done;
};

static HRESULT WINAPI thread_sink_QueryInterface( IMAPIAdviseSink *iface, REFIID riid, void **out )
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI thread_sink_AddRef( IMAPIAdviseSink *iface )
{
    return 2;
}

static ULONG WINAPI thread_sink_Release( IMAPIAdviseSink *iface )
{
    return 1;
}

static HRESULT WINAPI thread_sink_OnNotify( IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications )
{
    struct thread_sink *sink = CONTAINING_RECORD( iface, struct thread_sink, IMAPIAdviseSink_iface );

    ok( count == 1 && notifications[0].ulEventType == fnevObjectModified, "got %lu, %#lx.\n", count,
        notifications[0].ulEventType );
    sink->thread = GetCurrentThreadId();
    SetEvent( sink->done );
    return 0;
}

static const IMAPIAdviseSinkVtbl thread_sink_vtbl =
{
    thread_sink_QueryInterface,
    thread_sink_AddRef,
    thread_sink_Release,
    thread_sink_OnNotify,
};

/* IMAPISupport::Notify delivers on MAPI's thread with MAPI_MULTITHREAD_NOTIFICATIONS, else on the caller's */
static void test_notify_thread( ULONG flags )
{
    IMAPISupport *(CDECL *pmockprov_get_support)(void) = (void *)GetProcAddress( mockprov, "mockprov_get_support" );
    struct thread_sink sink = { { &thread_sink_vtbl } };
    MAPIINIT_0 init = { MAPI_INIT_VERSION, flags };
    NOTIFICATION notification;
    IMAPISession *session;
    IMAPISupport *support;
    ULONG_PTR connection;
    ULONG notify_flags, size;
    IAddrBook *book;
    ENTRYID *entry;
    IMsgStore *store;
    BYTE key_data[sizeof(NOTIFKEY) + 8];
    NOTIFKEY *key = (NOTIFKEY *)key_data;
    HRESULT hr;

    ok( pmockprov_get_support != NULL, "mockprov_get_support is missing.\n" );
    if (!pmockprov_get_support) return;
    hr = pMAPIInitialize( &init );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    hr = pMAPIXTestCreateSession( 0, &session );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    make_store_entry( "store1" );
    store = open_store( session, S_OK );
    support = pmockprov_get_support();

    sink.done = CreateEventW( NULL, FALSE, FALSE, NULL );
    key->cb = 4;
    memcpy( key->ab, "key1", 4 );
    hr = IMAPISupport_Subscribe( support, key, fnevObjectModified, 0, &sink.IMAPIAdviseSink_iface, &connection );
    ok( hr == S_OK, "Subscribe returned %#lx.\n", hr );
    memset( &notification, 0, sizeof(notification) );
    notification.ulEventType = fnevObjectModified;
    notification.info.obj.ulObjType = MAPI_MESSAGE;
    notify_flags = 0;
    hr = IMAPISupport_Notify( support, key, 1, &notification, &notify_flags );
    ok( hr == S_OK, "Notify returned %#lx.\n", hr );
    ok( !WaitForSingleObject( sink.done, 5000 ), "no notification.\n" );
    if (flags) ok( sink.thread && sink.thread != GetCurrentThreadId(), "delivered on thread %#lx.\n", sink.thread );
    else ok( sink.thread == GetCurrentThreadId(), "delivered on thread %#lx.\n", sink.thread );
    hr = IMAPISupport_Unsubscribe( support, connection );
    ok( hr == S_OK, "Unsubscribe returned %#lx.\n", hr );

    /* the support object's address book and one-offs */
    hr = IMAPISupport_CreateOneOff( support, (WCHAR *)L"A", (WCHAR *)L"SMTP", (WCHAR *)L"a@b.c", MAPI_UNICODE,
                                    &size, &entry );
    ok( hr == S_OK, "CreateOneOff returned %#lx.\n", hr );
    ok( size == 24 + sizeof(L"A") + sizeof(L"SMTP") + sizeof(L"a@b.c"), "got size %lu.\n", size );
    pMAPIFreeBuffer( entry );
    hr = IMAPISupport_OpenAddressBook( support, NULL, 0, &book );
    ok( hr == S_OK, "OpenAddressBook returned %#lx.\n", hr );

    IMsgStore_Release( store );
    IMAPISession_Logoff( session, 0, 0, 0 );
    /* the store logon is gone, and the address book with it */
    hr = IAddrBook_GetPAB( book, &size, &entry );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetPAB returned %#lx.\n", hr );
    IAddrBook_Release( book );
    IMAPISession_Release( session );
    pMAPIUninitialize();
    CloseHandle( sink.done );
    pMAPIFreeBuffer( wrapped_entry );
    wrapped_entry = NULL;
    pmockprov_reset_log();
}

START_TEST(teardown)
{
    if (!load_winemapix() || !extract_provider()) return;

    test_wrap_store_entryid();
    test_not_initialized();
    test_store_logoff_then_release();
    test_release_only();
    /* R4.9 (i) and (ii) release the support object inside Logoff, (iii) in the logon's Release */
    test_session_logoff( 0, "Logoff(0);StoreLogoffTransports(0x8)=0,0x10000;MakeInvalid(1)=0;SupportRelease;"
                         "LogonRelease=0;Shutdown(0);ProviderRelease=0;" );
    test_session_logoff( MOCK_SUPPORT_IN_LOGOFF, "Logoff(0);StoreLogoffTransports(0x8)=0,0x10000;"
                         "MakeInvalid(1)=0;SupportRelease;LogonRelease=0;Shutdown(0);ProviderRelease=0;" );
    test_session_logoff( MOCK_SUPPORT_IN_RELEASE, "Logoff(0);StoreLogoffTransports(0x8)=0,0x10000;"
                         "MakeInvalid(1)=0;LogonRelease=0;SupportRelease;Shutdown(0);ProviderRelease=0;" );
    test_release_support_late( MOCK_SUPPORT_IN_LOGOFF,
                               "Logoff(0);SupportRelease;LogonRelease=0;Shutdown(0);ProviderRelease=0;" );
    test_release_support_late( MOCK_SUPPORT_IN_RELEASE,
                               "Logoff(0);LogonRelease=0;SupportRelease;Shutdown(0);ProviderRelease=0;" );
    test_release_without_logoff();
    test_uninitialize_without_logoff();
    test_piggyback();
    test_logon_fails();
    test_version_too_low();
    test_two_sessions();
    test_store_logoff_transports_flags();
    test_open_entry();
    test_logon_profile();
    test_notify_thread( 0 );
    test_notify_thread( MAPI_MULTITHREAD_NOTIFICATIONS );

    FreeLibrary( mockprov );
    DeleteFileA( provider_path );
}
