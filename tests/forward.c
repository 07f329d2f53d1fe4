/*
 * End to end: Wine's own mapi32.dll forwards Extended MAPI to winemapix
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
 * These tests behave like an application: they load Wine's builtin
 * mapi32.dll, which reads the default mail client's DLLPathEx when it loads
 * and sends Extended MAPI there.  The test runner registered winemapix in
 * the prefix, as a user would with regsvr32.
 */

#include <stdarg.h>

#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "mapix.h"
#include "mapiutil.h"

#include "wine/test.h"

static HRESULT (WINAPI *pMAPIInitialize)(void *);
static void (WINAPI *pMAPIUninitialize)(void);
static SCODE (WINAPI *pMAPIAllocateBuffer)(ULONG, void **);
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);
static SCODE (WINAPI *pScInitMapiUtil)(ULONG);
static void (WINAPI *pDeinitMapiUtil)(void);
static LONG (WINAPI *pMAPIXGetLiveBuffers)(void);

static BOOL registered_as_dllpathex(void)
{
    WCHAR client[MAX_PATH], path[MAX_PATH];
    DWORD size = sizeof(client);
    BOOL ret = FALSE;
    HKEY key;

    if (RegOpenKeyExW( HKEY_LOCAL_MACHINE, L"Software\\Clients\\Mail", 0, KEY_READ, &key )) return FALSE;
    if (!RegGetValueW( key, NULL, NULL, RRF_RT_REG_SZ, NULL, client, &size ))
    {
        size = sizeof(path);
        ret = !RegGetValueW( key, client, L"DLLPathEx", RRF_RT_REG_SZ, NULL, path, &size )
              && wcsstr( path, L"winemapix.dll" );
    }
    RegCloseKey( key );
    return ret;
}

static void test_forwarding(void)
{
    LONG live_before, live;
    void *buffer = NULL;
    HRESULT hr;
    SCODE sc;

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize through mapi32 returned %#lx.\n", hr );

    live_before = pMAPIXGetLiveBuffers();
    sc = pMAPIAllocateBuffer( 64, &buffer );
    ok( sc == S_OK && buffer, "MAPIAllocateBuffer through mapi32 returned %#lx, %p.\n", sc, buffer );
    live = pMAPIXGetLiveBuffers();
    ok( live == live_before + 1, "winemapix counts %ld live buffers, expected %ld: mapi32 did not forward.\n",
        live, live_before + 1 );
    pMAPIFreeBuffer( buffer );
    live = pMAPIXGetLiveBuffers();
    ok( live == live_before, "winemapix counts %ld live buffers after MAPIFreeBuffer, expected %ld.\n",
        live, live_before );

    sc = pScInitMapiUtil( 0 );
    ok( sc == S_OK, "ScInitMapiUtil through mapi32 returned %#lx.\n", sc );
    pDeinitMapiUtil();
    pMAPIUninitialize();
}

START_TEST(forward)
{
    HMODULE mapi32, winemapix;

    ok( registered_as_dllpathex(), "winemapix is not the default mail client's DLLPathEx.\n" );

    mapi32 = LoadLibraryA( "mapi32.dll" );
    ok( mapi32 != NULL, "mapi32.dll did not load: %lu.\n", GetLastError() );
    if (!mapi32) return;
    pMAPIInitialize = (void *)GetProcAddress( mapi32, "MAPIInitialize" );
    pMAPIUninitialize = (void *)GetProcAddress( mapi32, "MAPIUninitialize" );
    pMAPIAllocateBuffer = (void *)GetProcAddress( mapi32, "MAPIAllocateBuffer" );
    pMAPIFreeBuffer = (void *)GetProcAddress( mapi32, "MAPIFreeBuffer" );
    pScInitMapiUtil = (void *)GetProcAddress( mapi32, "ScInitMapiUtil@4" );
    pDeinitMapiUtil = (void *)GetProcAddress( mapi32, "DeinitMapiUtil@0" );

    /* mapi32 loaded winemapix from DLLPathEx when it initialised */
    winemapix = GetModuleHandleA( "winemapix.dll" );
    ok( winemapix != NULL, "mapi32 did not load winemapix.dll.\n" );
    if (!winemapix) return;
    pMAPIXGetLiveBuffers = (void *)GetProcAddress( winemapix, "MAPIXGetLiveBuffers" );
    ok( pMAPIXGetLiveBuffers != NULL, "winemapix lacks its buffer counter.\n" );
    if (!pMAPIXGetLiveBuffers) return;

    test_forwarding();
    FreeLibrary( mapi32 );
}
