/*
 * Tests for MAPIAdminProfiles and IProfAdmin
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

/* local copies, so that no other test file's GUID instances collide with ours */
static const GUID test_IID_IUnknown = {0x00000000, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID test_IID_IMAPIProp = {0x00020303, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

static const char profiles_key[] =
    "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles";

static BOOL init(void)
{
    HMODULE module = LoadLibraryA( "winemapix.dll" );

    ok( module != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError() );
    if (!module) return FALSE;
    pMAPIAdminProfiles = (void *)GetProcAddress( module, "MAPIAdminProfiles" );
    pMAPIFreeBuffer = (void *)GetProcAddress( module, "MAPIFreeBuffer" );
    ok( pMAPIAdminProfiles != NULL, "MAPIAdminProfiles not exported.\n" );
    ok( pMAPIFreeBuffer != NULL, "MAPIFreeBuffer not exported.\n" );
    return pMAPIAdminProfiles && pMAPIFreeBuffer;
}

static BOOL profile_key_exists( const char *name )
{
    char path[512];
    HKEY key;

    lstrcpyA( path, profiles_key );
    lstrcatA( path, "\\" );
    lstrcatA( path, name );
    if (RegOpenKeyExA( HKEY_CURRENT_USER, path, 0, KEY_READ, &key )) return FALSE;
    RegCloseKey( key );
    return TRUE;
}

static BOOL get_default_profile( char *name, DWORD size )
{
    HKEY key;
    LONG err;

    if (RegOpenKeyExA( HKEY_CURRENT_USER, profiles_key, 0, KEY_READ, &key )) return FALSE;
    err = RegQueryValueExA( key, "DefaultProfile", NULL, NULL, (BYTE *)name, &size );
    RegCloseKey( key );
    return !err;
}

static void cleanup_profile( IProfAdmin *admin, const char *name )
{
    IProfAdmin_DeleteProfile( admin, (WCHAR *)name, 0 );
}

static void test_admin_profiles(void)
{
    IProfAdmin *admin = (void *)0xdeadbeef;
    IUnknown *unk;
    HRESULT hr;
    ULONG ref;

    hr = pMAPIAdminProfiles( 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr );

    hr = pMAPIAdminProfiles( 0x1234, &admin );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_QueryInterface( admin, &test_IID_IUnknown, (void **)&unk );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( unk == (IUnknown *)admin, "Unexpected interface %p.\n", unk );
    IUnknown_Release( unk );
    hr = IProfAdmin_QueryInterface( admin, &test_IID_IMAPIProp, (void **)&unk );
    ok( hr == E_NOINTERFACE, "Unexpected hr %#lx.\n", hr );
    ref = IProfAdmin_Release( admin );
    ok( !ref, "Release returned %lu.\n", ref );
}

static void test_create_delete(void)
{
    static const char name[] = "winemapix test profile";
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    cleanup_profile( admin, name );

    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( profile_key_exists( name ), "profile key missing.\n" );

    /* an existing profile cannot be created again */
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)" leading space", NULL, 0, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr );
    ok( !profile_key_exists( " leading space" ), "profile key created.\n" );

    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0x100 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)name, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( !profile_key_exists( name ), "profile key still there.\n" );

    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)name, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );

    /* names in UTF-16 with MAPI_UNICODE */
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)L"winemapix unicode \x00e9", NULL, 0, MAPI_UNICODE );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)L"winemapix unicode \x00e9", NULL, 0, MAPI_UNICODE );
    ok( hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)L"winemapix unicode \x00e9", MAPI_UNICODE );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_ChangeProfilePassword( admin, (WCHAR *)name, NULL, NULL, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );

    IProfAdmin_Release( admin );
}

static void test_default_profile(void)
{
    static const char name[] = "winemapix default test";
    static const char name2[] = "winemapix default renamed";
    char def[256];
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    cleanup_profile( admin, name );
    cleanup_profile( admin, name2 );

    hr = IProfAdmin_SetDefaultProfile( admin, (WCHAR *)name, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_SetDefaultProfile( admin, (WCHAR *)name, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( get_default_profile( def, sizeof(def) ), "no DefaultProfile value.\n" );
    ok( !strcmp( def, name ), "Unexpected default %s.\n", debugstr_a(def) );

    /* the default follows a rename */
    hr = IProfAdmin_RenameProfile( admin, (WCHAR *)name, NULL, (WCHAR *)name2, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( !profile_key_exists( name ), "old profile key still there.\n" );
    ok( profile_key_exists( name2 ), "new profile key missing.\n" );
    ok( get_default_profile( def, sizeof(def) ), "no DefaultProfile value.\n" );
    ok( !strcmp( def, name2 ), "Unexpected default %s.\n", debugstr_a(def) );

    hr = IProfAdmin_RenameProfile( admin, (WCHAR *)name, NULL, (WCHAR *)name2, 0, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_CopyProfile( admin, (WCHAR *)name2, NULL, (WCHAR *)name, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( profile_key_exists( name ), "copied profile key missing.\n" );
    ok( profile_key_exists( name2 ), "source profile key missing.\n" );
    hr = IProfAdmin_CopyProfile( admin, (WCHAR *)name2, NULL, (WCHAR *)name, 0, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr );

    /* deleting the default profile leaves none */
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)name2, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    ok( !get_default_profile( def, sizeof(def) ), "DefaultProfile still %s.\n", debugstr_a(def) );

    cleanup_profile( admin, name );
    IProfAdmin_Release( admin );
}

static void free_rows( SRowSet *rows )
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) pMAPIFreeBuffer( rows->aRow[i].lpProps );
    pMAPIFreeBuffer( rows );
}

static void test_profile_table(void)
{
    static const char name[] = "winemapix table test";
    IProfAdmin *admin;
    IMAPITable *table;
    SRowSet *rows;
    BOOL found = FALSE;
    HRESULT hr;
    ULONG i, j;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    cleanup_profile( admin, name );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_SetDefaultProfile( admin, (WCHAR *)name, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_GetProfileTable( admin, 0x1234, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr );

    hr = IProfAdmin_GetProfileTable( admin, 0, &table );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    hr = IMAPITable_QueryRows( table, 100, 0, &rows );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        for (i = 0; i < rows->cRows; i++)
        {
            const char *display = NULL;
            BOOL is_default = FALSE;

            for (j = 0; j < rows->aRow[i].cValues; j++)
            {
                if (rows->aRow[i].lpProps[j].ulPropTag == PR_DISPLAY_NAME_A)
                    display = rows->aRow[i].lpProps[j].Value.lpszA;
                if (rows->aRow[i].lpProps[j].ulPropTag == PR_DEFAULT_PROFILE)
                    is_default = rows->aRow[i].lpProps[j].Value.b;
            }
            ok( display != NULL, "row %lu has no PR_DISPLAY_NAME.\n", i );
            if (display && !strcmp( display, name ))
            {
                found = TRUE;
                ok( is_default, "profile is not marked default.\n" );
            }
            else ok( !is_default, "profile %s marked default.\n", debugstr_a(display) );
        }
        free_rows( rows );
    }
    ok( found, "profile not in the table.\n" );
    IMAPITable_Release( table );

done:
    cleanup_profile( admin, name );
    IProfAdmin_Release( admin );
}

static void test_admin_services(void)
{
    static const char name[] = "winemapix services test";
    IMsgServiceAdmin *services = (void *)0xdeadbeef;
    IProfAdmin *admin;
    HRESULT hr;
    ULONG ref;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    cleanup_profile( admin, name );

    hr = IProfAdmin_AdminServices( admin, (WCHAR *)name, NULL, 0, 0, &services );
    ok( hr == MAPI_E_LOGON_FAILED, "Unexpected hr %#lx.\n", hr );
    ok( !services, "Unexpected pointer %p.\n", services );

    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)name, NULL, 0, 0, &services );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        ref = IMsgServiceAdmin_Release( services );
        ok( !ref, "Release returned %lu.\n", ref );
    }

    cleanup_profile( admin, name );
    IProfAdmin_Release( admin );
}

/* a profile made by one process is there for the next */
static void test_other_process(void)
{
    static const char name[] = "winemapix process test";
    PROCESS_INFORMATION info;
    STARTUPINFOA startup = { sizeof(startup) };
    char cmdline[MAX_PATH * 2], **argv;
    IProfAdmin *admin;
    DWORD code;
    HRESULT hr;
    BOOL ret;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    cleanup_profile( admin, name );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );

    winetest_get_mainargs( &argv );
    lstrcpyA( cmdline, "\"" );
    lstrcatA( cmdline, argv[0] );
    lstrcatA( cmdline, "\" profile child \"" );
    lstrcatA( cmdline, name );
    lstrcatA( cmdline, "\"" );
    ret = CreateProcessA( NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info );
    ok( ret, "CreateProcess failed, error %lu.\n", GetLastError() );
    if (ret)
    {
        wait_child_process( info.hProcess );
        GetExitCodeProcess( info.hProcess, &code );
        ok( !code, "child exited with %lu.\n", code );
        CloseHandle( info.hThread );
        CloseHandle( info.hProcess );
    }

    /* and the child's deletion is seen here */
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)name, 0 );
    ok( hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr );
    IProfAdmin_Release( admin );
}

static void child_process( const char *name )
{
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &admin );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)name, NULL, 0, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( admin, (WCHAR *)name, NULL, 0, 0, &services );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    if (SUCCEEDED(hr)) IMsgServiceAdmin_Release( services );
    hr = IProfAdmin_DeleteProfile( admin, (WCHAR *)name, 0 );
    ok( hr == S_OK, "Unexpected hr %#lx.\n", hr );
    IProfAdmin_Release( admin );
}

START_TEST(profile)
{
    char **argv;
    int argc;

    if (!init()) return;

    argc = winetest_get_mainargs( &argv );
    if (argc >= 4 && !strcmp( argv[2], "child" ))
    {
        child_process( argv[3] );
        return;
    }

    test_admin_profiles();
    test_create_delete();
    test_default_profile();
    test_profile_table();
    test_admin_services();
    test_other_process();
}
