/*
 * Tests of winemapix's registration as the default mail client's DLLPathEx
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
#include "winreg.h"

#include "wine/test.h"

static HRESULT (WINAPI *pDllRegisterServer)(void);
static HRESULT (WINAPI *pDllUnregisterServer)(void);
static WCHAR dll_path[MAX_PATH];

static const WCHAR clients_key[] = L"Software\\Clients\\Mail";

/* the value NAME of HKLM\Software\Clients\Mail\<client>, or "" */
static const WCHAR *client_value( const WCHAR *client, const WCHAR *name )
{
    static WCHAR buffer[MAX_PATH];
    DWORD size = sizeof(buffer);
    HKEY key;

    buffer[0] = 0;
    if (!RegOpenKeyExW( HKEY_LOCAL_MACHINE, clients_key, 0, KEY_READ, &key ))
    {
        if (RegGetValueW( key, client, name, RRF_RT_REG_SZ, NULL, buffer, &size )) buffer[0] = 0;
        RegCloseKey( key );
    }
    return buffer;
}

static BOOL client_exists( const WCHAR *client )
{
    WCHAR path[MAX_PATH];
    HKEY key;

    swprintf( path, ARRAY_SIZE(path), L"%s\\%s", clients_key, client );
    if (RegOpenKeyExW( HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &key )) return FALSE;
    RegCloseKey( key );
    return TRUE;
}

static void set_client_value( const WCHAR *client, const WCHAR *name, const WCHAR *value )
{
    LSTATUS ret;
    HKEY key;

    ret = RegCreateKeyExW( HKEY_LOCAL_MACHINE, clients_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL );
    ok( !ret, "RegCreateKeyExW failed: %ld.\n", ret );
    if (value)
        ret = RegSetKeyValueW( key, client, name, REG_SZ, value, (wcslen( value ) + 1) * sizeof(WCHAR) );
    else
    {
        ret = RegDeleteKeyValueW( key, client, name );
        if (ret == ERROR_FILE_NOT_FOUND) ret = 0;
    }
    ok( !ret, "setting %s\\%s failed: %ld.\n", wine_dbgstr_w(client), wine_dbgstr_w(name), ret );
    RegCloseKey( key );
}

static void test_register_default_client(void)
{
    WCHAR client[MAX_PATH], dll_path_before[MAX_PATH];
    HRESULT hr;

    wcscpy( client, client_value( NULL, NULL ) );
    ok( client[0], "a Wine prefix has a default mail client.\n" );
    wcscpy( dll_path_before, client_value( client, L"DLLPath" ) );

    hr = pDllUnregisterServer();
    ok( hr == S_OK, "DllUnregisterServer returned %#lx.\n", hr );
    ok( !client_value( client, L"DLLPathEx" )[0], "DLLPathEx is still %s.\n",
        wine_dbgstr_w(client_value( client, L"DLLPathEx" )) );
    ok( !wcscmp( client_value( NULL, NULL ), client ), "default client changed.\n" );

    hr = pDllRegisterServer();
    ok( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    ok( !wcsicmp( client_value( client, L"DLLPathEx" ), dll_path ), "DLLPathEx is %s, expected %s.\n",
        wine_dbgstr_w(client_value( client, L"DLLPathEx" )), wine_dbgstr_w(dll_path) );
    ok( !wcscmp( client_value( client, L"DLLPath" ), dll_path_before ), "DLLPath changed to %s.\n",
        wine_dbgstr_w(client_value( client, L"DLLPath" )) );

    /* registering twice changes nothing */
    hr = pDllRegisterServer();
    ok( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    ok( !wcsicmp( client_value( client, L"DLLPathEx" ), dll_path ), "DLLPathEx is %s.\n",
        wine_dbgstr_w(client_value( client, L"DLLPathEx" )) );
}

static void test_other_product(void)
{
    static const WCHAR outlook[] = L"C:\\Program Files\\Microsoft Office\\olmapi32.dll";
    WCHAR client[MAX_PATH];
    HRESULT hr;

    wcscpy( client, client_value( NULL, NULL ) );
    set_client_value( client, L"DLLPathEx", outlook );

    hr = pDllRegisterServer();
    ok( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    ok( !wcscmp( client_value( client, L"DLLPathEx" ), outlook ), "another product's DLLPathEx was replaced by %s.\n",
        wine_dbgstr_w(client_value( client, L"DLLPathEx" )) );

    hr = pDllUnregisterServer();
    ok( hr == S_OK, "DllUnregisterServer returned %#lx.\n", hr );
    ok( !wcscmp( client_value( client, L"DLLPathEx" ), outlook ), "another product's DLLPathEx was removed.\n" );

    set_client_value( client, L"DLLPathEx", NULL );
    hr = pDllRegisterServer();
    ok( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
}

static void test_no_default_client(void)
{
    WCHAR client[MAX_PATH], created[MAX_PATH];
    HRESULT hr;

    wcscpy( client, client_value( NULL, NULL ) );
    hr = pDllUnregisterServer();
    ok( hr == S_OK, "DllUnregisterServer returned %#lx.\n", hr );
    set_client_value( NULL, NULL, NULL );

    hr = pDllRegisterServer();
    ok( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    wcscpy( created, client_value( NULL, NULL ) );
    ok( created[0], "no default client was created.\n" );
    ok( !wcsicmp( client_value( created, L"DLLPathEx" ), dll_path ), "the new client's DLLPathEx is %s.\n",
        wine_dbgstr_w(client_value( created, L"DLLPathEx" )) );

    hr = pDllUnregisterServer();
    ok( hr == S_OK, "DllUnregisterServer returned %#lx.\n", hr );
    ok( !client_value( NULL, NULL )[0], "the default client is still %s.\n", wine_dbgstr_w(client_value( NULL, NULL )) );
    ok( !client_exists( created ), "the created client key was left behind.\n" );

    /* put the prefix back as the test runner left it */
    set_client_value( NULL, NULL, client );
    hr = pDllRegisterServer();
    ok( hr == S_OK, "DllRegisterServer returned %#lx.\n", hr );
    ok( !wcsicmp( client_value( client, L"DLLPathEx" ), dll_path ), "registration was not restored.\n" );
}

START_TEST(regsvr)
{
    HMODULE module = LoadLibraryA( "winemapix.dll" );

    ok( module != NULL, "winemapix.dll did not load: %lu.\n", GetLastError() );
    if (!module) return;
    pDllRegisterServer = (void *)GetProcAddress( module, "DllRegisterServer" );
    pDllUnregisterServer = (void *)GetProcAddress( module, "DllUnregisterServer" );
    ok( pDllRegisterServer && pDllUnregisterServer, "registration entry points are missing.\n" );
    if (!pDllRegisterServer || !pDllUnregisterServer) return;
    GetModuleFileNameW( module, dll_path, ARRAY_SIZE(dll_path) );

    test_register_default_client();
    test_other_product();
    test_no_default_client();
    FreeLibrary( module );
}
