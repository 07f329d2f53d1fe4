/*
 * Tests of the MAPI allocators, MAPIInitialize and the default IMalloc
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
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapix.h"
#include "mapiutil.h"

#include "wine/test.h"

static const GUID test_IID_IMalloc = {0x00000002, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID test_IID_IUnknown = {0x00000000, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID test_IID_IStream = {0x0000000c, 0, 0, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};

static HMODULE mapix;
static SCODE (WINAPI *pMAPIAllocateBuffer)(ULONG, void **);
static SCODE (WINAPI *pMAPIAllocateMore)(ULONG, void *, void **);
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);
static SCODE (WINAPI *pMAPIReallocateBuffer)(void *, ULONG, void **);
static HRESULT (WINAPI *pMAPIInitialize)(void *);
static void (WINAPI *pMAPIUninitialize)(void);
static IMalloc * (WINAPI *pMAPIGetDefaultMalloc)(void);
static IMalloc * (WINAPI *pMAPIGetDefaultMalloc0)(void);
static SCODE (WINAPI *pScInitMapiUtil)(ULONG);
static void (WINAPI *pDeinitMapiUtil)(void);
static LONG (WINAPI *pMAPIXGetLiveBuffers)(void);

static BOOL init_function_pointers(void)
{
    mapix = LoadLibraryA( "winemapix.dll" );
    ok(mapix != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError());
    if (!mapix) return FALSE;

#define X(f, name) p##f = (void *)GetProcAddress( mapix, name ); ok(p##f != NULL, "%s not exported.\n", name)
    X(MAPIAllocateBuffer, "MAPIAllocateBuffer");
    X(MAPIAllocateMore, "MAPIAllocateMore");
    X(MAPIFreeBuffer, "MAPIFreeBuffer");
    X(MAPIReallocateBuffer, "MAPIReallocateBuffer");
    X(MAPIInitialize, "MAPIInitialize");
    X(MAPIUninitialize, "MAPIUninitialize");
    X(MAPIGetDefaultMalloc, "MAPIGetDefaultMalloc");
    X(MAPIGetDefaultMalloc0, "MAPIGetDefaultMalloc@0");
    X(ScInitMapiUtil, "ScInitMapiUtil@4");
    X(DeinitMapiUtil, "DeinitMapiUtil@0");
    X(MAPIXGetLiveBuffers, "MAPIXGetLiveBuffers");
#undef X
    return pMAPIAllocateBuffer && pMAPIAllocateMore && pMAPIFreeBuffer && pMAPIReallocateBuffer
            && pMAPIInitialize && pMAPIUninitialize && pMAPIGetDefaultMalloc && pMAPIGetDefaultMalloc0
            && pScInitMapiUtil && pDeinitMapiUtil && pMAPIXGetLiveBuffers;
}

static void test_allocate_buffer(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    void *buf, *more[3];
    SCODE sc;
    int i;

    sc = pMAPIAllocateBuffer( 10, NULL );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    buf = (void *)0xdeadbeef;
    sc = pMAPIAllocateBuffer( 13, &buf );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(buf != NULL && buf != (void *)0xdeadbeef, "Unexpected buffer %p.\n", buf);
    ok(!((ULONG_PTR)buf & 7), "Buffer %p is not 8-byte aligned.\n", buf);
    memset( buf, 0xcc, 13 );
    ok(pMAPIXGetLiveBuffers() == start + 1, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start + 1);

    for (i = 0; i < ARRAY_SIZE(more); i++)
    {
        more[i] = NULL;
        sc = pMAPIAllocateMore( 7 + i, buf, &more[i] );
        ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
        ok(more[i] && !((ULONG_PTR)more[i] & 7), "Unexpected buffer %p.\n", more[i]);
        memset( more[i], i, 7 + i );
    }
    /* a child of a child is linked to the same parent */
    sc = pMAPIAllocateMore( 5, more[1], &more[2] );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start + 5, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start + 5);

    sc = pMAPIAllocateMore( 5, buf, NULL );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    more[0] = (void *)0xdeadbeef;
    sc = pMAPIAllocateMore( 5, NULL, &more[0] );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    ok(more[0] == NULL, "Unexpected buffer %p.\n", more[0]);

    /* freeing a child alone does nothing; the parent frees the chain */
    sc = pMAPIFreeBuffer( more[1] );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start + 5, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start + 5);

    sc = pMAPIFreeBuffer( buf );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);

    sc = pMAPIFreeBuffer( NULL );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);

    sc = pMAPIAllocateBuffer( 0, &buf );
    ok(sc == S_OK && buf, "Unexpected sc %#lx, buffer %p.\n", sc, buf);
    pMAPIFreeBuffer( buf );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

static void test_foreign_pointers(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    char *heap, *page, stack[64];
    void *more;
    SCODE sc;

    heap = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, 64 );
    sc = pMAPIFreeBuffer( heap );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    sc = pMAPIFreeBuffer( heap + 32 );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    /* still ours to free: MAPIFreeBuffer must not have touched it */
    ok(HeapFree( GetProcessHeap(), 0, heap ), "HeapFree failed.\n");

    memset( stack, 0, sizeof(stack) );
    sc = pMAPIFreeBuffer( stack + 32 );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);

    /* the start of a page whose previous page is not mapped */
    page = VirtualAlloc( NULL, 0x2000, MEM_RESERVE, PAGE_NOACCESS );
    ok(page != NULL, "VirtualAlloc failed.\n");
    ok(VirtualAlloc( page + 0x1000, 0x1000, MEM_COMMIT, PAGE_READWRITE ) != NULL, "commit failed.\n");
    sc = pMAPIFreeBuffer( page + 0x1000 );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    more = (void *)0xdeadbeef;
    sc = pMAPIAllocateMore( 8, page + 0x1000, &more );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    ok(more == NULL, "Unexpected buffer %p.\n", more);
    VirtualFree( page, 0, MEM_RELEASE );

    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

static void test_reallocate_buffer(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    char *buf, *more, *newbuf, *newmore, *extra;
    SCODE sc;
    int i;

    sc = pMAPIAllocateBuffer( 16, (void **)&buf );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    for (i = 0; i < 16; i++) buf[i] = i;
    sc = pMAPIAllocateMore( 4, buf, (void **)&more );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    memcpy( more, "abc", 4 );

    sc = pMAPIReallocateBuffer( buf, 4096, NULL );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    newbuf = NULL;
    sc = pMAPIReallocateBuffer( buf, 4096, (void **)&newbuf );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(newbuf != NULL && !((ULONG_PTR)newbuf & 7), "Unexpected buffer %p.\n", newbuf);
    for (i = 0; i < 16; i++) if (newbuf[i] != i) break;
    ok(i == 16, "Data not copied, byte %d differs.\n", i);
    memset( newbuf + 16, 0x55, 4096 - 16 );
    ok(pMAPIXGetLiveBuffers() == start + 2, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start + 2);

    /* a child moves too, and stays in the chain */
    newmore = NULL;
    sc = pMAPIReallocateBuffer( more, 2, (void **)&newmore );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(newmore && !memcmp( newmore, "ab", 2 ), "Data not copied.\n");

    /* the moved parent still accepts children */
    sc = pMAPIAllocateMore( 4, newbuf, (void **)&extra );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    sc = pMAPIAllocateMore( 4, newmore, (void **)&extra );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start + 4, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start + 4);

    /* the old parent pointer is no longer ours */
    sc = pMAPIReallocateBuffer( (void *)0x10, 8, (void **)&extra );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    pMAPIFreeBuffer( newbuf );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);

    /* NULL behaves as MAPIAllocateBuffer */
    newbuf = NULL;
    sc = pMAPIReallocateBuffer( NULL, 8, (void **)&newbuf );
    ok(sc == S_OK && newbuf, "Unexpected sc %#lx, buffer %p.\n", sc, newbuf);
    ok(pMAPIXGetLiveBuffers() == start + 1, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start + 1);
    pMAPIFreeBuffer( newbuf );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

static DWORD WINAPI alloc_thread( void *arg )
{
    void *buf, *more;
    int i, j;

    for (i = 0; i < 200; i++)
    {
        if (pMAPIAllocateBuffer( 24, &buf )) return 1;
        for (j = 0; j < 10; j++)
            if (pMAPIAllocateMore( 8 + j, buf, &more )) return 1;
        pMAPIFreeBuffer( buf );
    }
    return 0;
}

static void test_threads(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    HANDLE threads[4];
    DWORD code;
    int i;

    for (i = 0; i < ARRAY_SIZE(threads); i++)
        threads[i] = CreateThread( NULL, 0, alloc_thread, NULL, 0, NULL );
    for (i = 0; i < ARRAY_SIZE(threads); i++)
    {
        ok(WaitForSingleObject( threads[i], 20000 ) == WAIT_OBJECT_0, "Thread %d did not finish.\n", i);
        GetExitCodeThread( threads[i], &code );
        ok(!code, "Thread %d failed.\n", i);
        CloseHandle( threads[i] );
    }
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

static void test_initialize(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    MAPIINIT_0 init;
    void *buf, *more;
    HRESULT hr;
    SCODE sc;

    /* with nothing initialised, MAPIUninitialize does nothing */
    pMAPIUninitialize();
    pMAPIUninitialize();

    init.ulVersion = MAPI_INIT_VERSION + 1;
    init.ulFlags = 0;
    hr = pMAPIInitialize( &init );
    ok(hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr);

    init.ulVersion = MAPI_INIT_VERSION;
    init.ulFlags = 0x2;
    hr = pMAPIInitialize( &init );
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr);
    init.ulFlags = MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_UNICODE;
    hr = pMAPIInitialize( &init );
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "Unexpected hr %#lx.\n", hr);

    hr = pMAPIInitialize( NULL );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    init.ulFlags = MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_NO_COINIT;
    hr = pMAPIInitialize( &init );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    init.ulFlags = MAPI_NT_SERVICE;
    hr = pMAPIInitialize( &init );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);

    sc = pMAPIAllocateBuffer( 32, &buf );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);

    pMAPIUninitialize();
    pMAPIUninitialize();
    pMAPIUninitialize();
    /* one too many: harmless */
    pMAPIUninitialize();

    /* buffers outlive MAPIUninitialize and can still be freed */
    sc = pMAPIAllocateMore( 8, buf, &more );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    sc = pMAPIFreeBuffer( buf );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld live buffers, expected %ld.\n", pMAPIXGetLiveBuffers(), start);

    /* initialising again after the final uninitialize works */
    hr = pMAPIInitialize( NULL );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    pMAPIUninitialize();
}

static void test_default_malloc(void)
{
    IMalloc *malloc, *malloc2;
    IUnknown *unk;
    void *mem;
    HRESULT hr;
    ULONG ref;
    SCODE sc;

    sc = pScInitMapiUtil( 0 );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);

    malloc = pMAPIGetDefaultMalloc();
    ok(malloc != NULL, "No IMalloc.\n");
    malloc2 = pMAPIGetDefaultMalloc0();
    ok(malloc2 == malloc, "Got different objects %p, %p.\n", malloc, malloc2);

    hr = IMalloc_QueryInterface( malloc, &test_IID_IUnknown, (void **)&unk );
    ok(hr == S_OK && unk == (IUnknown *)malloc, "Unexpected hr %#lx, %p.\n", hr, unk);
    hr = IMalloc_QueryInterface( malloc, &test_IID_IMalloc, (void **)&malloc2 );
    ok(hr == S_OK && malloc2 == malloc, "Unexpected hr %#lx, %p.\n", hr, malloc2);
    unk = (void *)0xdeadbeef;
    hr = IMalloc_QueryInterface( malloc, &test_IID_IStream, (void **)&unk );
    ok(hr == E_NOINTERFACE, "Unexpected hr %#lx.\n", hr);
    ok(unk == NULL, "Unexpected pointer %p.\n", unk);

    ref = IMalloc_AddRef( malloc );
    ok(ref == 1, "Unexpected refcount %lu.\n", ref);
    ref = IMalloc_Release( malloc );
    ok(ref == 1, "Unexpected refcount %lu.\n", ref);
    ref = IMalloc_Release( malloc );
    ok(ref == 1, "Unexpected refcount %lu.\n", ref);

    mem = IMalloc_Alloc( malloc, 61 );
    ok(mem != NULL, "Alloc failed.\n");
    ok(IMalloc_GetSize( malloc, mem ) == LocalSize( mem ), "GetSize %Iu, LocalSize %Iu.\n",
       IMalloc_GetSize( malloc, mem ), LocalSize( mem ));
    ok(LocalSize( mem ) >= 61, "LocalSize %Iu.\n", LocalSize( mem ));
    memset( mem, 0x11, 61 );
    mem = IMalloc_Realloc( malloc, mem, 200 );
    ok(mem != NULL, "Realloc failed.\n");
    ok(((BYTE *)mem)[60] == 0x11, "Data lost.\n");
    ok(LocalSize( mem ) >= 200, "LocalSize %Iu.\n", LocalSize( mem ));
    ok(IMalloc_DidAlloc( malloc, mem ) == -1, "Unexpected DidAlloc.\n");
    ok(IMalloc_DidAlloc( malloc, NULL ) == -1, "Unexpected DidAlloc.\n");
    IMalloc_Free( malloc, mem );
    IMalloc_HeapMinimize( malloc );

    /* the object lives on after Release and DeinitMapiUtil */
    pDeinitMapiUtil();
    mem = IMalloc_Alloc( malloc, 8 );
    ok(mem != NULL, "Alloc failed.\n");
    IMalloc_Free( malloc, mem );
}

START_TEST(alloc)
{
    if (!init_function_pointers()) return;

    test_allocate_buffer();
    test_foreign_pointers();
    test_reallocate_buffer();
    test_threads();
    test_initialize();
    test_default_malloc();
}
