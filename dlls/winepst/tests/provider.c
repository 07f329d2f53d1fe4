/*
 * Conformance tests of winepst's IMSProvider, IMSLogon and IMsgStore logoff path
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

#include "windef.h"
#include "winbase.h"
#include "initguid.h"
#include "mapidefs.h"
#include "mapiguid.h"
DEFINE_OLEGUID(IID_IMAPISupport, 0x0002030f, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProviderShutdown, 0x00020398, 0, 0);
DEFINE_OLEGUID(IID_IMAPIClientShutdown, 0x00020397, 0, 0);
#undef INITGUID
#include "guiddef.h"

#include "winepst_test.h"


static WCHAR sample_pst[MAX_PATH];

static void test_provider_init(void)
{
    IMSProvider *provider1 = NULL, *provider2;
    ULONG version, zero = 0;
    HRESULT hr;

    version = 0xdeadbeef;
    hr = pMSProviderInit( GetModuleHandleA( "winepst.dll" ), &test_malloc, test_allocate_buffer,
                          test_allocate_more, test_free_buffer, 0, 0x00010000, &version, &provider1 );
    ok( hr == MAPI_E_VERSION, "an older SPI gave %#lx.\n", hr );
    ok( version == CURRENT_SPI_VERSION, "provider version %#lx.\n", version );
    ok( !provider1, "got a provider %p.\n", provider1 );

    hr = pMSProviderInit( GetModuleHandleA( "winepst.dll" ), &test_malloc, NULL, test_allocate_more,
                          test_free_buffer, 0, CURRENT_SPI_VERSION, &version, &provider1 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no allocator gave %#lx.\n", hr );
    hr = pMSProviderInit( GetModuleHandleA( "winepst.dll" ), &test_malloc, test_allocate_buffer,
                          test_allocate_more, test_free_buffer, 0x4, CURRENT_SPI_VERSION, &version, &provider1 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags gave %#lx.\n", hr );
    ok( malloc_refcount == 0, "IMalloc count %ld after failures.\n", malloc_refcount );

    /* every call makes a provider object of its own, keeping the IMalloc */
    provider1 = create_provider();
    provider2 = create_provider();
    ok( provider1 != provider2, "the same provider object twice.\n" );
    ok( malloc_refcount == 2, "IMalloc count %ld.\n", malloc_refcount );

    hr = IMSProvider_Shutdown( provider1, &zero );
    ok( hr == S_OK, "Shutdown returned %#lx.\n", hr );
    ok( malloc_refcount == 1, "Shutdown kept the IMalloc: count %ld.\n", malloc_refcount );
    hr = IMSProvider_Shutdown( provider1, &zero );
    ok( hr == S_OK, "a second Shutdown returned %#lx.\n", hr );
    ok( !IMSProvider_Release( provider1 ), "provider still referenced.\n" );
    /* a final Release without Shutdown does what Shutdown would */
    ok( !IMSProvider_Release( provider2 ), "provider still referenced.\n" );
    ok( malloc_refcount == 0, "IMalloc count %ld.\n", malloc_refcount );
}

/* (a) of §10: StoreLogoff, then the final Release of the store */
static void test_storelogoff_then_release(void)
{
    SPropValue *props = NULL;
    struct support support;
    IMsgStore *store;
    IMSLogon *ms_logon;
    IMSProvider *provider = create_provider();
    ULONG flags, count;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    ok( ms_logon != NULL && store != NULL, "got %p, %p.\n", ms_logon, store );
    ok( support.refcount == 1, "the provider holds %ld references on the support object.\n", support.refcount );
    check_log( "SetProviderUID; SetProps(0xfff0102 0xff90102 0x3001001f 0x34140102); SaveChanges; " );

    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == S_OK, "StoreLogoff returned %#lx.\n", hr );
    ok( flags == LOGOFF_COMPLETE, "StoreLogoff answered %#lx.\n", flags );
    check_log( "" );

    /* only Release is allowed now */
    hr = IMsgStore_GetProps( store, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after StoreLogoff returned %#lx.\n", hr );
    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == MAPI_E_INVALID_OBJECT, "a second StoreLogoff returned %#lx.\n", hr );

    ok( !IMsgStore_Release( store ), "the store is still referenced.\n" );
    check_log( "StoreLogoffTransports(0x1); support final release; Logoff 0; IMSLogon release 1; " );
    ok( !IMSLogon_Release( ms_logon ), "the logon is still referenced.\n" );
    check_log( "" );

    ok( !IMSProvider_Release( provider ), "provider still referenced.\n" );
    check_log( "" );
}

/* (b) of §10: Release without StoreLogoff means LOGOFF_ABORT */
static void test_release_only(void)
{
    IMSProvider *provider = create_provider();
    struct support support;
    IMsgStore *store;
    IMSLogon *ms_logon;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    call_log[0] = 0;

    ok( IMsgStore_AddRef( store ) == 2, "AddRef.\n" );
    ok( IMsgStore_Release( store ) == 1, "Release.\n" );
    check_log( "" );
    ok( !IMsgStore_Release( store ), "the store is still referenced.\n" );
    check_log( "StoreLogoffTransports(0x8); support final release; Logoff 0; IMSLogon release 1; " );
    IMSLogon_Release( ms_logon );
    IMSProvider_Release( provider );
}

/* (c) of §10: MAPI logs the store off while the client holds it */
static void test_logoff_with_store_held(void)
{
    IMSProvider *provider = create_provider();
    ULONG flags, count, zero = 0, one = 1;
    SPropValue *props;
    struct support support;
    IMsgStore *store;
    IMSLogon *ms_logon;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    call_log[0] = 0;

    /* the reserved argument is checked, and a bad one changes nothing */
    hr = IMSLogon_Logoff( ms_logon, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "Logoff(NULL) returned %#lx.\n", hr );
    hr = IMSLogon_Logoff( ms_logon, &one );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Logoff(&1) returned %#lx.\n", hr );
    check_log( "" );
    flags = LOGOFF_ORDERLY;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == S_OK, "the store stopped working: %#lx.\n", hr );

    /* as IMAPISession::Logoff does it */
    support.logging_off = TRUE;
    hr = IMSLogon_Logoff( ms_logon, &zero );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    check_log( "StoreLogoffTransports(0x2); support final release; " );
    hr = IMSLogon_Logoff( ms_logon, &zero );
    ok( hr == S_OK, "a second Logoff returned %#lx.\n", hr );
    check_log( "" );
    /* MAPI's Release after Logoff; "MAPI" above kept no second one */
    ok( IMSLogon_Release( ms_logon ) == 1, "unexpected logon refcount.\n" );
    ok( !IMSLogon_Release( ms_logon ), "the logon is still referenced.\n" );

    /* the client's store is dead, but AddRef and Release still work */
    hr = IMsgStore_GetProps( store, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps returned %#lx.\n", hr );
    hr = IMsgStore_SaveChanges( store, 0 );
    ok( hr == MAPI_E_INVALID_OBJECT, "SaveChanges returned %#lx.\n", hr );
    ok( IMsgStore_AddRef( store ) == 2, "AddRef.\n" );
    ok( IMsgStore_Release( store ) == 1, "Release.\n" );
    ok( !IMsgStore_Release( store ), "the store is still referenced.\n" );
    check_log( "" );

    hr = IMSProvider_Shutdown( provider, &zero );
    ok( hr == S_OK, "Shutdown returned %#lx.\n", hr );
    ok( !IMSProvider_Release( provider ), "provider still referenced.\n" );
    check_log( "" );
}

static void test_storelogoff_flags(void)
{
    IMSProvider *provider = create_provider();
    struct support support;
    IMsgStore *store;
    IMSLogon *ms_logon;
    ULONG flags;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    call_log[0] = 0;

    hr = IMsgStore_StoreLogoff( store, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "NULL gave %#lx.\n", hr );
    flags = 0;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no flag gave %#lx.\n", hr );
    flags = LOGOFF_ABORT | LOGOFF_QUIET;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == MAPI_E_INVALID_PARAMETER, "two flags gave %#lx.\n", hr );
    ok( flags == (LOGOFF_ABORT | LOGOFF_QUIET), "flags changed to %#lx.\n", flags );
    flags = 0x100;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "an unknown flag gave %#lx.\n", hr );

    flags = LOGOFF_PURGE;
    hr = IMsgStore_StoreLogoff( store, &flags );
    ok( hr == S_OK, "StoreLogoff returned %#lx.\n", hr );
    IMsgStore_Release( store );
    check_log( "StoreLogoffTransports(0x4); support final release; Logoff 0; IMSLogon release 1; " );
    IMSLogon_Release( ms_logon );
    IMSProvider_Release( provider );
}

/* R2.9: the same store again in one provider object */
static void test_piggyback(void)
{
    IMSProvider *provider = create_provider();
    struct support support1, support2;
    IMsgStore *store1, *store2;
    IMSLogon *logon1, *logon2;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support1 );
    hr = logon( provider, &support1, 0, NULL, &logon1, &store1 );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    call_log[0] = 0;

    init_support( &support2 );
    IMAPISupport_AddRef( &support2.IMAPISupport_iface );
    hr = logon( provider, &support2, 0, NULL, &logon2, &store2 );
    ok( hr == S_OK, "the second Logon returned %#lx.\n", hr );
    ok( !logon2, "a piggyback logon gave an IMSLogon %p.\n", logon2 );
    ok( store2 == store1, "a piggyback logon gave another store %p.\n", store2 );
    ok( support2.refcount == 1, "the provider kept the second support object: %ld.\n", support2.refcount );
    check_log( "" );

    /* the store lives on while either client holds it */
    IMsgStore_Release( store2 );
    check_log( "" );
    IMsgStore_Release( store1 );
    check_log( "StoreLogoffTransports(0x8); support final release; Logoff 0; IMSLogon release 1; " );
    IMSLogon_Release( logon1 );
    IMSProvider_Release( provider );
}

static void test_logon_failures(void)
{
    IMSProvider *provider = create_provider();
    BYTE *security;
    ULONG security_size, zero = 0;
    struct support support;
    MAPIERROR *error;
    IMsgStore *store;
    IMSLogon *ms_logon;
    WCHAR garbage[MAX_PATH], temp_dir[MAX_PATH];
    HANDLE file;
    DWORD written;
    HRESULT hr;

    /* no file configured yet: MAPI then runs the service's configuration */
    profile.path[0] = 0;
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_UNCONFIGURED, "Logon without a path returned %#lx.\n", hr );
    ok( support.refcount == 0, "the failed logon kept the support object.\n" );

    /* a file that is not a PST at all */
    GetTempPathW( ARRAY_SIZE(temp_dir), temp_dir );
    GetTempFileNameW( temp_dir, L"bad", 0, garbage );
    file = CreateFileW( garbage, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    WriteFile( file, "This is not a Personal Folders file.", 36, &written, NULL );
    CloseHandle( file );
    wcscpy( profile.path, garbage );
    init_support( &support );
    error = NULL;
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL, MAPI_UNICODE, NULL,
                            &security_size, &security, &error, &ms_logon, &store );
    ok( hr == MAPI_E_CORRUPT_STORE, "Logon on a foreign file returned %#lx.\n", hr );
    ok( !ms_logon && !store, "got %p, %p.\n", ms_logon, store );
    ok( error != NULL, "no MAPIERROR.\n" );
    if (error)
    {
        ok( error->ulVersion == MAPI_ERROR_VERSION, "version %lu.\n", error->ulVersion );
        ok( !wcscmp( (WCHAR *)error->lpszComponent, L"winepst" ), "component %s.\n",
            wine_dbgstr_w((WCHAR *)error->lpszComponent) );
        test_free_buffer( error );
    }
    ok( support.refcount == 1, "the failed logon kept the support object: %ld.\n", support.refcount );
    DeleteFileW( garbage );

    /* a configured file that is gone, whatever the access asked for */
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL, MAPI_UNICODE, NULL,
                            &security_size, &security, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_NOT_FOUND, "Logon on a missing file returned %#lx.\n", hr );
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL, MAPI_UNICODE | MDB_WRITE, NULL,
                            &security_size, &security, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_NOT_FOUND, "MDB_WRITE logon on a missing file returned %#lx.\n", hr );
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL, MAPI_UNICODE | MAPI_BEST_ACCESS,
                            NULL, &security_size, &security, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_NOT_FOUND, "MAPI_BEST_ACCESS logon on a missing file returned %#lx.\n", hr );

    /* bad arguments */
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL, 0x40000, NULL,
                            &security_size, &security, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags gave %#lx.\n", hr );
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 0, NULL, 0, &IID_IMAPIFolder,
                            &security_size, &security, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "IID_IMAPIFolder gave %#lx.\n", hr );
    hr = IMSProvider_Logon( provider, &support.IMAPISupport_iface, 0, NULL, 5, (ENTRYID *)"junk", 0, NULL,
                            &security_size, &security, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a foreign entry ID gave %#lx.\n", hr );
    IMAPISupport_Release( &support.IMAPISupport_iface );

    /* nothing is served after Shutdown */
    IMSProvider_Shutdown( provider, &zero );
    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == MAPI_E_INVALID_OBJECT, "Logon after Shutdown returned %#lx.\n", hr );
    IMSProvider_Release( provider );
    /* no failed logon kept the support object: each went when "MAPI"
     * dropped its reference */
    check_log( "support final release; support final release; support final release; " );
}

static void test_entry_ids(void)
{
    IMSProvider *provider = create_provider();
    BYTE entry[sizeof(((struct support *)0)->entryid)], other[sizeof(entry)];
    struct support support, support2;
    IMsgStore *store, *store2;
    IMSLogon *ms_logon, *logon2;
    ULONG size, result, zero = 0;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    size = support.entryid_size;
    ok( size > 40, "store entry ID of %lu bytes.\n", size );
    memcpy( entry, support.entryid, size );

    result = 0xdeadbeef;
    hr = IMSProvider_CompareStoreIDs( provider, size, (ENTRYID *)entry, size, (ENTRYID *)entry, 0, &result );
    ok( hr == S_OK && result == TRUE, "CompareStoreIDs returned %#lx, %lu.\n", hr, result );
    memcpy( other, entry, size );
    other[size - 4] ^= 1;   /* the last character of the path */
    hr = IMSProvider_CompareStoreIDs( provider, size, (ENTRYID *)entry, size, (ENTRYID *)other, 0, &result );
    ok( hr == S_OK && result == FALSE, "CompareStoreIDs returned %#lx, %lu.\n", hr, result );
    hr = IMSProvider_CompareStoreIDs( provider, 8, (ENTRYID *)"garbage", size, (ENTRYID *)entry, 0, &result );
    ok( hr == MAPI_E_INVALID_ENTRYID, "CompareStoreIDs on garbage returned %#lx.\n", hr );
    other[size - 1] = other[size - 2] = 'x';   /* no terminator */
    hr = IMSProvider_CompareStoreIDs( provider, size, (ENTRYID *)other, size, (ENTRYID *)entry, 0, &result );
    ok( hr == MAPI_E_INVALID_ENTRYID, "CompareStoreIDs on an unterminated path returned %#lx.\n", hr );
    hr = IMSProvider_CompareStoreIDs( provider, size, (ENTRYID *)entry, size, (ENTRYID *)entry, 1, &result );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CompareStoreIDs with flags returned %#lx.\n", hr );

    /* the entry ID alone finds the open store: no profile, a shared store */
    profile.path[0] = 0;
    init_support( &support2 );
    IMAPISupport_AddRef( &support2.IMAPISupport_iface );
    hr = logon( provider, &support2, size, (ENTRYID *)entry, &logon2, &store2 );
    ok( hr == S_OK, "Logon by entry ID returned %#lx.\n", hr );
    ok( !logon2 && store2 == store, "got %p, %p.\n", logon2, store2 );
    if (hr == S_OK) IMsgStore_Release( store2 );
    IMsgStore_Release( store );
    IMSLogon_Release( ms_logon );
    call_log[0] = 0;

    /* and opens it anew once it is closed */
    init_support( &support2 );
    hr = logon( provider, &support2, size, (ENTRYID *)entry, &logon2, &store2 );
    ok( hr == S_OK, "Logon by entry ID returned %#lx.\n", hr );
    ok( logon2 && store2, "got %p, %p.\n", logon2, store2 );
    ok( support2.entryid_size == size && !memcmp( support2.entryid, entry, size ),
        "the store has another entry ID now.\n" );
    if (hr == S_OK)
    {
        IMsgStore_Release( store2 );
        IMSLogon_Release( logon2 );
    }
    IMSProvider_Shutdown( provider, &zero );

    /* CompareStoreIDs needs no open store */
    hr = IMSProvider_CompareStoreIDs( provider, size, (ENTRYID *)entry, size, (ENTRYID *)entry, 0, &result );
    ok( hr == S_OK && result == TRUE, "CompareStoreIDs returned %#lx, %lu.\n", hr, result );
    IMSProvider_Release( provider );
    call_log[0] = 0;
}

static void test_advise(void)
{
    IMSProvider *provider = create_provider();
    IMAPIAdviseSink *sink = (IMAPIAdviseSink *)0xdeadbeef;
    ULONG_PTR connection = 0;
    ULONG store_connection = 0;
    struct support support;
    IMsgStore *store;
    IMSLogon *ms_logon;
    HRESULT hr;

    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    call_log[0] = 0;

    /* the whole store is keyed by its UID */
    hr = IMSLogon_Advise( ms_logon, 0, NULL, fnevNewMail, sink, &connection );
    ok( hr == S_OK && connection == 42, "Advise returned %#lx, %Iu.\n", hr, connection );
    hr = IMSLogon_Unadvise( ms_logon, connection );
    ok( hr == S_OK, "Unadvise returned %#lx.\n", hr );
    hr = IMsgStore_Advise( store, 0, NULL, fnevObjectCreated, sink, &store_connection );
    ok( hr == S_OK && store_connection == 42, "Advise returned %#lx, %lu.\n", hr, store_connection );
    check_log( "Subscribe(16, 0x2); Unsubscribe(42); Subscribe(16, 0x4); " );
    hr = IMsgStore_Advise( store, 0, NULL, 0, sink, &store_connection );
    ok( hr == MAPI_E_INVALID_PARAMETER, "an empty mask gave %#lx.\n", hr );

    IMsgStore_Release( store );
    IMSLogon_Release( ms_logon );
    IMSProvider_Release( provider );
    call_log[0] = 0;
}

static void test_unload(void)
{
    IMSProvider *provider;
    struct support support;
    IMsgStore *store;
    IMSLogon *ms_logon;
    HRESULT hr;

    ok( pDllCanUnloadNow() == S_OK, "objects are alive before the test.\n" );
    provider = create_provider();
    wcscpy( profile.path, sample_pst );
    init_support( &support );
    hr = logon( provider, &support, 0, NULL, &ms_logon, &store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) return;
    IMSLogon_Release( ms_logon );
    IMSProvider_Release( provider );
    /* a store outliving its provider keeps our code in use */
    ok( pDllCanUnloadNow() == S_FALSE, "DllCanUnloadNow allows unloading under a live store.\n" );
    IMsgStore_Release( store );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
    call_log[0] = 0;
}

START_TEST(provider)
{
    if (!init_winepst()) return;

    test_provider_init();
    if (!copy_sample( "pstsdk_sample1.pst", sample_pst ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_storelogoff_then_release();
    test_release_only();
    test_logoff_with_store_held();
    test_storelogoff_flags();
    test_piggyback();
    test_logon_failures();
    test_entry_ids();
    test_advise();
    test_unload();
    DeleteFileW( sample_pst );
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
}
