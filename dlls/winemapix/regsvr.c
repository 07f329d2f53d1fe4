/*
 * Registration as the Extended MAPI provider of the default mail client
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
 * Wine's mapi32 forwards Extended MAPI to the DLL named by the DLLPathEx
 * value of the default mail client (HKLM\Software\Clients\Mail\<default>).
 * Registration points that value at this DLL, but only where no other
 * product has claimed it: a DLLPathEx naming anything else (Outlook's
 * olmapi32.dll, say) is left alone, and so is DLLPath, which belongs to the
 * Simple MAPI provider.  What registration changed is remembered under our
 * own key, so that unregistration restores exactly what was there.
 */

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

static const WCHAR clients_key[] = L"Software\\Clients\\Mail";
static const WCHAR state_key[] = L"Software\\Wine\\winemapix";
/* the client created when a prefix has no default mail client at all */
static const WCHAR own_client[] = L"Wine Extended MAPI";

static HRESULT module_path( WCHAR *path, DWORD size )
{
    DWORD len = GetModuleFileNameW( mapix_instance, path, size );

    if (!len || len >= size) return E_FAIL;
    return S_OK;
}

/* reads a string value; returns FALSE when it is missing or not a string */
static BOOL get_string( HKEY key, const WCHAR *name, WCHAR *buffer, DWORD size )
{
    DWORD type, bytes = size * sizeof(WCHAR);

    if (RegQueryValueExW( key, name, NULL, &type, (BYTE *)buffer, &bytes )) return FALSE;
    if (type != REG_SZ && type != REG_EXPAND_SZ) return FALSE;
    buffer[min( bytes / sizeof(WCHAR), size - 1 )] = 0;
    return TRUE;
}

static LSTATUS set_string( HKEY key, const WCHAR *name, const WCHAR *value )
{
    return RegSetValueExW( key, name, 0, REG_SZ, (const BYTE *)value, (wcslen( value ) + 1) * sizeof(WCHAR) );
}

/* TRUE when PATH names this DLL, whatever directory it gives */
static BOOL is_our_dll( const WCHAR *path, const WCHAR *ours )
{
    const WCHAR *name = wcsrchr( path, '\\' ), *our_name = wcsrchr( ours, '\\' );

    if (!wcsicmp( path, ours )) return TRUE;
    name = name ? name + 1 : path;
    our_name = our_name ? our_name + 1 : ours;
    return !wcsicmp( name, our_name );
}

/* Picks the client to register under, creating our own one when there is
 * no default client; remembers what it created in STATE. */
static LSTATUS open_default_client( HKEY clients, HKEY state, HKEY *client )
{
    WCHAR name[MAX_PATH];
    LSTATUS ret;

    if (get_string( clients, NULL, name, ARRAY_SIZE(name) ) && name[0])
        return RegCreateKeyExW( clients, name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, client, NULL );

    TRACE( "no default mail client, creating %s\n", debugstr_w(own_client) );
    if ((ret = RegCreateKeyExW( clients, own_client, 0, NULL, 0, KEY_ALL_ACCESS, NULL, client, NULL ))) return ret;
    if ((ret = set_string( clients, NULL, own_client )))
    {
        RegCloseKey( *client );
        return ret;
    }
    return set_string( state, L"CreatedClient", own_client );
}

/***********************************************************************
 *              DllRegisterServer (winemapix.@)
 */
HRESULT WINAPI DllRegisterServer(void)
{
    WCHAR ours[MAX_PATH], current[MAX_PATH];
    HKEY clients, client, state;
    LSTATUS ret;
    HRESULT hr;

    TRACE( "\n" );

    if (FAILED(hr = module_path( ours, ARRAY_SIZE(ours) ))) return hr;
    if ((ret = RegCreateKeyExW( HKEY_LOCAL_MACHINE, clients_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &clients, NULL )))
        return HRESULT_FROM_WIN32( ret );
    if ((ret = RegCreateKeyExW( HKEY_LOCAL_MACHINE, state_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &state, NULL )))
    {
        RegCloseKey( clients );
        return HRESULT_FROM_WIN32( ret );
    }
    if (!(ret = open_default_client( clients, state, &client )))
    {
        if (get_string( client, L"DLLPathEx", current, ARRAY_SIZE(current) ) && current[0]
                && !is_our_dll( current, ours ))
            WARN( "DLLPathEx already names %s, leaving it alone\n", debugstr_w(current) );
        else
            ret = set_string( client, L"DLLPathEx", ours );
        RegCloseKey( client );
    }
    RegCloseKey( state );
    RegCloseKey( clients );
    return HRESULT_FROM_WIN32( ret );
}

/***********************************************************************
 *              DllUnregisterServer (winemapix.@)
 */
HRESULT WINAPI DllUnregisterServer(void)
{
    WCHAR ours[MAX_PATH], current[MAX_PATH], created[MAX_PATH], name[MAX_PATH];
    HKEY clients, client, state;
    HRESULT hr;

    TRACE( "\n" );

    if (FAILED(hr = module_path( ours, ARRAY_SIZE(ours) ))) return hr;
    if (RegOpenKeyExW( HKEY_LOCAL_MACHINE, clients_key, 0, KEY_ALL_ACCESS, &clients )) return S_OK;

    if (get_string( clients, NULL, name, ARRAY_SIZE(name) ) && name[0]
            && !RegOpenKeyExW( clients, name, 0, KEY_ALL_ACCESS, &client ))
    {
        /* only our own value goes; a DLLPathEx someone set since stays */
        if (get_string( client, L"DLLPathEx", current, ARRAY_SIZE(current) ) && is_our_dll( current, ours ))
            RegDeleteValueW( client, L"DLLPathEx" );
        RegCloseKey( client );
    }
    if (!RegOpenKeyExW( HKEY_LOCAL_MACHINE, state_key, 0, KEY_ALL_ACCESS, &state ))
    {
        if (get_string( state, L"CreatedClient", created, ARRAY_SIZE(created) ))
        {
            RegDeleteTreeW( clients, created );
            if (get_string( clients, NULL, name, ARRAY_SIZE(name) ) && !wcsicmp( name, created ))
                RegDeleteValueW( clients, NULL );
        }
        RegCloseKey( state );
        RegDeleteTreeW( HKEY_LOCAL_MACHINE, state_key );
    }
    RegCloseKey( clients );
    return S_OK;
}
