/*
 * Tests for reading mapisvc.inf into profiles
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
#include "winreg.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"

static HRESULT (WINAPI *pMAPIAdminProfiles)(ULONG, IProfAdmin **);

#include "mapisvc_test.h"

/* the name of the profile's first service section (no PR_PROVIDER_UID, a PR_SERVICE_UID) */
static BOOL find_service( const char *profile, char service[33] )
{
    char name[64];
    BYTE data[64];
    DWORD index, len, size;
    HKEY key;

    if (!(key = open_profile_key( profile ))) return FALSE;
    for (index = 0; ; index++)
    {
        len = sizeof(name);
        if (RegEnumKeyExA( key, index, name, &len, NULL, NULL, NULL, NULL )) break;
        if (read_section_value( profile, name, "300c0102", data, sizeof(data) )) continue;
        size = read_section_value( profile, name, "3d0c0102", data, sizeof(data) );
        if (size != 16) continue;
        lstrcpyA( service, name );
        RegCloseKey( key );
        return TRUE;
    }
    RegCloseKey( key );
    return FALSE;
}

static BOOL find_provider( const char *profile, DWORD type, char provider[33] )
{
    char name[64];
    BYTE data[64];
    DWORD index, len;
    HKEY key;

    if (!(key = open_profile_key( profile ))) return FALSE;
    for (index = 0; ; index++)
    {
        len = sizeof(name);
        if (RegEnumKeyExA( key, index, name, &len, NULL, NULL, NULL, NULL )) break;
        if (read_section_value( profile, name, "3e030003", data, sizeof(data) ) != 4) continue;
        if (*(DWORD *)data != type) continue;
        lstrcpyA( provider, name );
        RegCloseKey( key );
        return TRUE;
    }
    RegCloseKey( key );
    return FALSE;
}

static const char profile[] = "winemapix mapisvc test";

static IMsgServiceAdmin *create_profile( IProfAdmin *admin )
{
    IMsgServiceAdmin *services = NULL;
    HRESULT hr;

    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)profile, NULL, 0, 0, &services );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    return services;
}

static void test_service_sections(void)
{
    char service[33], store[33], ab[33], name[33];
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    BYTE data[256], service_uid[16];
    DWORD size;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (!(services = create_profile( admin ))) goto done;

    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXTEST", (WCHAR *)"My Test", 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( count_sections( profile ) == 3, "got %u sections.\n", count_sections( profile ) );

    ok( find_service( profile, service ), "no service section.\n" );
    size = read_section_value( profile, service, "3d0c0102", service_uid, sizeof(service_uid) );
    ok( size == 16, "PR_SERVICE_UID has %lu bytes.\n", size );
    /* the section is named after its UID */
    hex_name( service_uid, name );
    ok( !strcmp( name, service ), "section %s has PR_SERVICE_UID %s.\n", service, name );

    size = read_section_value( profile, service, "3d09001e", data, sizeof(data) );
    ok( size == 8 && !strcmp( (char *)data, "WMXTEST" ), "Unexpected PR_SERVICE_NAME %s.\n", (char *)data );
    /* the display name given to CreateMsgService wins over the file's */
    size = read_section_value( profile, service, "3001001e", data, sizeof(data) );
    ok( size == 8 && !strcmp( (char *)data, "My Test" ), "Unexpected PR_DISPLAY_NAME %s.\n", (char *)data );
    size = read_section_value( profile, service, "30090003", data, sizeof(data) );
    ok( size == 4 && *(DWORD *)data == (SERVICE_SINGLE_COPY | SERVICE_NO_PRIMARY_IDENTITY),
        "Unexpected PR_RESOURCE_FLAGS size %lu value %#lx.\n", size, *(DWORD *)data );
    size = read_section_value( profile, service, "6600001e", data, sizeof(data) );
    ok( size == 17 && !strcmp( (char *)data, "C:\\some\\file.txt" ), "Unexpected 6600001e %s.\n", (char *)data );
    ok( !read_section_value( profile, service, "6602001e", data, sizeof(data) ), "comment was read.\n" );
    /* eight hex digits of a numeric PT_LONG line are its bytes in memory order */
    size = read_section_value( profile, service, "66010003", data, sizeof(data) );
    ok( size == 4 && *(DWORD *)data == 7, "Unexpected 66010003 size %lu value %#lx.\n", size, *(DWORD *)data );
    size = read_section_value( profile, service, "3d0f101e", data, sizeof(data) );
    ok( size == 13 && !memcmp( data, "a.dll\0b.dll\0", 13 ), "Unexpected PR_SERVICE_SUPPORT_FILES size %lu.\n", size );
    /* the Providers line is no property */
    ok( count_sections( profile ) == 3, "got %u sections.\n", count_sections( profile ) );

    ok( find_provider( profile, 33 /* MAPI_STORE_PROVIDER */, store ), "no store provider section.\n" );
    size = read_section_value( profile, store, "300c0102", data, sizeof(data) );
    hex_name( data, name );
    ok( size == 16 && !strcmp( name, store ), "Unexpected PR_PROVIDER_UID %s.\n", name );
    size = read_section_value( profile, store, "3d0c0102", data, sizeof(data) );
    ok( size == 16 && !memcmp( data, service_uid, 16 ), "provider has the wrong PR_SERVICE_UID.\n" );
    size = read_section_value( profile, store, "300a001e", data, sizeof(data) );
    ok( size == 12 && !strcmp( (char *)data, "wmxtest.dll" ), "Unexpected PR_PROVIDER_DLL_NAME %s.\n", (char *)data );
    size = read_section_value( profile, store, "3006001e", data, sizeof(data) );
    ok( size && !strcmp( (char *)data, "Winemapix Test Store" ), "Unexpected PR_PROVIDER_DISPLAY %s.\n", (char *)data );
    size = read_section_value( profile, store, "30090003", data, sizeof(data) );
    ok( size == 4 && *(DWORD *)data == 0x1002 /* STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE */,
        "Unexpected PR_RESOURCE_FLAGS %#lx.\n", *(DWORD *)data );
    size = read_section_value( profile, store, "34140102", data, sizeof(data) );
    ok( size == 4 && !memcmp( data, "\x01\x02\xab\xcd", 4 ), "Unexpected PR_MDB_PROVIDER size %lu.\n", size );

    ok( find_provider( profile, 35 /* MAPI_AB_PROVIDER */, ab ), "no address book provider section.\n" );
    ok( strcmp( ab, store ), "providers share a section.\n" );
    size = read_section_value( profile, ab, "3001001e", data, sizeof(data) );
    ok( size && !strcmp( (char *)data, "Test AB" ), "Unexpected PR_DISPLAY_NAME %s.\n", (char *)data );

    /* every service gets fresh UIDs */
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXTEST", NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( count_sections( profile ) == 6, "got %u sections.\n", count_sections( profile ) );

    IMsgServiceAdmin_Release( services );
done:
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    IProfAdmin_Release( admin );
}

static void test_bad_services(void)
{
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (!(services = create_profile( admin ))) goto done;

    /* not in [Services] */
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXTEST Store", NULL, 0, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"NOSUCHSERVICE", NULL, 0, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)L"NOSUCHSERVICE", NULL, 0, MAPI_UNICODE );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_CreateMsgService( services, NULL, NULL, 0, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr );
    ok( !count_sections( profile ), "got %u sections.\n", count_sections( profile ) );

    /* a missing provider section, and a service DLL that cannot be loaded, leave nothing behind */
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXBAD", NULL, 0, 0 );
    ok( FAILED(hr), "Unexpected hr %#lx.\n", hr );
    ok( !count_sections( profile ), "got %u sections.\n", count_sections( profile ) );
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXNODLL", NULL, 0, 0 );
    ok( FAILED(hr), "Unexpected hr %#lx.\n", hr );
    ok( !count_sections( profile ), "got %u sections.\n", count_sections( profile ) );

    /* Unicode names */
    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)L"WMXTEST", (WCHAR *)L"Wide", 0, MAPI_UNICODE );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( count_sections( profile ) == 3, "got %u sections.\n", count_sections( profile ) );

    IMsgServiceAdmin_Release( services );
done:
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    IProfAdmin_Release( admin );
}

static void test_default_services(void)
{
    char service[33];
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );

    /* [Default Services] fill a profile made with MAPI_DEFAULT_SERVICES */
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile, NULL, 0, MAPI_DEFAULT_SERVICES );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( count_sections( profile ) == 3, "got %u sections.\n", count_sections( profile ) );
    ok( find_service( profile, service ), "no service section.\n" );

    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    IProfAdmin_Release( admin );
}

static void test_no_inf(void)
{
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    HRESULT hr;

    install_inf( NULL );
    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if ((services = create_profile( admin )))
    {
        hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXTEST", NULL, 0, 0 );
        ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
        IMsgServiceAdmin_Release( services );
    }
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    IProfAdmin_Release( admin );
}

START_TEST(mapisvc)
{
    HMODULE module = LoadLibraryA( "winemapix.dll" );

    ok( module != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError() );
    if (!module) return;
    pMAPIAdminProfiles = (void *)GetProcAddress( module, "MAPIAdminProfiles" );
    ok( pMAPIAdminProfiles != NULL, "MAPIAdminProfiles not exported.\n" );
    if (!pMAPIAdminProfiles) return;

    ok( install_inf( test_inf ), "cannot write %s, error %lu.\n", inf_path, GetLastError() );
    test_service_sections();
    test_bad_services();
    test_default_services();
    test_no_inf();
    restore_inf();
}
