/*
 * Tests for IMsgServiceAdmin, IProviderAdmin and IProfSect
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
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);

static const GUID test_IID_IProfSect = {0x00020304, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID test_IID_IMAPITable = {0x00020301, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

#include "mapisvc_test.h"

static const char profile[] = "winemapix msgsvc test";

static void free_rows( SRowSet *rows )
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) pMAPIFreeBuffer( rows->aRow[i].lpProps );
    pMAPIFreeBuffer( rows );
}

static const SPropValue *find_prop( const SRow *row, ULONG tag )
{
    ULONG i;

    for (i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == tag) return &row->lpProps[i];
    return NULL;
}

static void test_service_table( IMsgServiceAdmin *services, MAPIUID *service_uid )
{
    const SPropValue *prop;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;

    hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0x1234, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0, &table );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr)) return;
    hr = IMAPITable_QueryRows( table, 100, 0, &rows );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        ok( rows->cRows == 1, "got %lu rows.\n", rows->cRows );
        if (rows->cRows)
        {
            prop = find_prop( &rows->aRow[0], PR_SERVICE_NAME_A );
            ok( prop && !strcmp( prop->Value.lpszA, "WMXTEST" ), "Unexpected PR_SERVICE_NAME.\n" );
            prop = find_prop( &rows->aRow[0], PR_DISPLAY_NAME_A );
            ok( prop && !strcmp( prop->Value.lpszA, "Winemapix Test Service" ), "Unexpected PR_DISPLAY_NAME.\n" );
            prop = find_prop( &rows->aRow[0], PR_SERVICE_UID );
            ok( prop && prop->Value.bin.cb == sizeof(MAPIUID), "no PR_SERVICE_UID.\n" );
            if (prop) memcpy( service_uid, prop->Value.bin.lpb, sizeof(*service_uid) );
            prop = find_prop( &rows->aRow[0], PR_RESOURCE_FLAGS );
            ok( prop && prop->Value.l == (SERVICE_SINGLE_COPY | SERVICE_NO_PRIMARY_IDENTITY),
                "Unexpected PR_RESOURCE_FLAGS.\n" );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
}

static void test_profile_section( IMsgServiceAdmin *services, MAPIUID *service_uid )
{
    SizedSPropTagArray(3, tags) = { 3, { PR_DISPLAY_NAME_W, PR_SERVICE_NAME_A, PROP_TAG(PT_LONG, 0x6700) } };
    SizedSPropTagArray(1, del) = { 1, { PROP_TAG(PT_LONG, 0x6701) } };
    SPropValue *props, prop;
    IProfSect *section;
    BYTE data[16];
    char name[33];
    ULONG count;
    HRESULT hr;

    hr = IMsgServiceAdmin_OpenProfileSection( services, NULL, NULL, 0, &section );
    ok( hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_OpenProfileSection( services, service_uid, &test_IID_IMAPITable, 0, &section );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "Unexpected hr %#lx.\n", hr );

    hr = IMsgServiceAdmin_OpenProfileSection( services, service_uid, &test_IID_IProfSect, 0, &section );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr)) return;

    /* strings come in the width asked for; missing properties are PT_ERROR */
    hr = IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props );
    ok( hr == MAPI_W_ERRORS_RETURNED, "Unexpected hr %#lx.\n", hr );
    ok( count == 3, "got %lu props.\n", count );
    if (SUCCEEDED(hr))
    {
        ok( props[0].ulPropTag == PR_DISPLAY_NAME_W, "Unexpected tag %#lx.\n", props[0].ulPropTag );
        ok( !wcscmp( props[0].Value.lpszW, L"Winemapix Test Service" ), "Unexpected name %s.\n",
            debugstr_w(props[0].Value.lpszW) );
        ok( props[1].ulPropTag == PR_SERVICE_NAME_A, "Unexpected tag %#lx.\n", props[1].ulPropTag );
        ok( !strcmp( props[1].Value.lpszA, "WMXTEST" ), "Unexpected name %s.\n", props[1].Value.lpszA );
        ok( props[2].ulPropTag == PROP_TAG(PT_ERROR, 0x6700), "Unexpected tag %#lx.\n", props[2].ulPropTag );
        ok( props[2].Value.err == MAPI_E_NOT_FOUND, "Unexpected error %#lx.\n", props[2].Value.err );
        pMAPIFreeBuffer( props );
    }

    /* read-only without MAPI_MODIFY */
    prop.ulPropTag = PROP_TAG(PT_LONG, 0x6701);
    prop.Value.l = 0x1234;
    hr = IProfSect_SetProps( section, 1, &prop, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr );
    hr = IProfSect_DeleteProps( section, (SPropTagArray *)&del, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr );
    IProfSect_Release( section );

    hr = IMsgServiceAdmin_OpenProfileSection( services, service_uid, NULL, MAPI_MODIFY, &section );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr)) return;
    hr = IProfSect_SetProps( section, 1, &prop, NULL );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfSect_SaveChanges( section, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    /* written under the property's tag, as Windows does */
    hex_name( service_uid->ab, name );
    ok( read_section_value( profile, name, "67010003", data, sizeof(data) ) == 4 && *(DWORD *)data == 0x1234,
        "value not in the registry.\n" );
    hr = IProfSect_DeleteProps( section, (SPropTagArray *)&del, NULL );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( !read_section_value( profile, name, "67010003", data, sizeof(data) ), "value still in the registry.\n" );
    IProfSect_Release( section );
}

static void test_providers( IMsgServiceAdmin *services, MAPIUID *service_uid )
{
    IProviderAdmin *providers;
    const SPropValue *prop;
    MAPIUID missing = {{0}};
    IMAPITable *table;
    SRowSet *rows;
    MAPIUID store;
    BOOL found = FALSE;
    HRESULT hr;
    ULONG i;

    hr = IMsgServiceAdmin_AdminProviders( services, &missing, 0, &providers );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_AdminProviders( services, service_uid, 0, &providers );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr)) return;

    hr = IProviderAdmin_GetProviderTable( providers, 0, &table );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IMAPITable_QueryRows( table, 100, 0, &rows );
        ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
        if (SUCCEEDED(hr))
        {
            ok( rows->cRows == 2, "got %lu rows.\n", rows->cRows );
            for (i = 0; i < rows->cRows; i++)
            {
                prop = find_prop( &rows->aRow[i], PR_SERVICE_UID );
                ok( prop && !memcmp( prop->Value.bin.lpb, service_uid, sizeof(*service_uid) ),
                    "wrong PR_SERVICE_UID.\n" );
                prop = find_prop( &rows->aRow[i], PR_PROVIDER_DLL_NAME_A );
                ok( prop && !strcmp( prop->Value.lpszA, "wmxtest.dll" ), "wrong PR_PROVIDER_DLL_NAME.\n" );
                prop = find_prop( &rows->aRow[i], PR_RESOURCE_TYPE );
                ok( prop && (prop->Value.l == 33 || prop->Value.l == 35), "wrong PR_RESOURCE_TYPE.\n" );
                if (prop && prop->Value.l == 33 && (prop = find_prop( &rows->aRow[i], PR_PROVIDER_UID )))
                {
                    memcpy( &store, prop->Value.bin.lpb, sizeof(store) );
                    found = TRUE;
                }
            }
            free_rows( rows );
        }
        IMAPITable_Release( table );
    }
    ok( found, "no store provider row.\n" );

    if (found)
    {
        hr = IProviderAdmin_DeleteProvider( providers, &store );
        ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
        hr = IProviderAdmin_DeleteProvider( providers, &store );
        ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
        ok( count_sections( profile ) == 2, "got %u sections.\n", count_sections( profile ) );
    }
    /* a provider section from mapisvc.inf can be added back */
    hr = IProviderAdmin_CreateProvider( providers, (WCHAR *)"WMXTEST Store", 0, NULL, 0, 0, &store );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( count_sections( profile ) == 3, "got %u sections.\n", count_sections( profile ) );
    hr = IProviderAdmin_CreateProvider( providers, (WCHAR *)"No Such Provider", 0, NULL, 0, 0, &store );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );

    IProviderAdmin_Release( providers );
}

static void test_msgsvc_admin(void)
{
    IMsgServiceAdmin *services;
    MAPIUID service_uid = {{0}};
    IProfAdmin *admin;
    char name[33];
    BYTE data[64];
    HRESULT hr;
    ULONG ref;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)profile, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)profile, NULL, 0, 0, &services );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr)) goto done;

    hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)"WMXTEST", NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );

    test_service_table( services, &service_uid );
    test_profile_section( services, &service_uid );
    test_providers( services, &service_uid );

    hr = IMsgServiceAdmin_RenameMsgService( services, &service_uid, 0, (WCHAR *)"Renamed" );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hex_name( service_uid.ab, name );
    ok( read_section_value( profile, name, "3001001e", data, sizeof(data) ) == 8 && !strcmp( (char *)data, "Renamed" ),
        "display name not changed.\n" );

    hr = IMsgServiceAdmin_DeleteMsgService( services, &service_uid );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( !count_sections( profile ), "got %u sections.\n", count_sections( profile ) );
    hr = IMsgServiceAdmin_DeleteMsgService( services, &service_uid );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
    hr = IMsgServiceAdmin_RenameMsgService( services, &service_uid, 0, (WCHAR *)"Renamed" );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );

    ref = IMsgServiceAdmin_Release( services );
    ok( !ref, "Release returned %lu.\n", ref );
done:
    IProfAdmin_DeleteProfile( admin, (WCHAR *)profile, 0 );
    IProfAdmin_Release( admin );
}

START_TEST(msgsvc)
{
    HMODULE module = LoadLibraryA( "winemapix.dll" );

    ok( module != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError() );
    if (!module) return;
    pMAPIAdminProfiles = (void *)GetProcAddress( module, "MAPIAdminProfiles" );
    pMAPIFreeBuffer = (void *)GetProcAddress( module, "MAPIFreeBuffer" );
    ok( pMAPIAdminProfiles != NULL, "MAPIAdminProfiles not exported.\n" );
    ok( pMAPIFreeBuffer != NULL, "MAPIFreeBuffer not exported.\n" );
    if (!pMAPIAdminProfiles || !pMAPIFreeBuffer) return;

    ok( install_inf( test_inf ), "cannot write %s, error %lu.\n", inf_path, GetLastError() );
    test_msgsvc_admin();
    restore_inf();
}
