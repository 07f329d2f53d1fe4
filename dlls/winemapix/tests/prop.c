/*
 * Tests of the property value utilities and validators
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
#include <stddef.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapiutil.h"

#include "wine/test.h"

static HMODULE mapix;
static SCODE (WINAPI *pMAPIAllocateBuffer)(ULONG, void **);
static SCODE (WINAPI *pMAPIAllocateMore)(ULONG, void *, void **);
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);
static LONG (WINAPI *pMAPIXGetLiveBuffers)(void);
static SCODE (WINAPI *pScCountProps)(int, SPropValue *, ULONG *);
static SCODE (WINAPI *pScCopyProps)(int, SPropValue *, void *, ULONG *);
static SCODE (WINAPI *pScRelocProps)(int, SPropValue *, void *, void *, ULONG *);
static SCODE (WINAPI *pScDupPropset)(int, SPropValue *, LPALLOCATEBUFFER, SPropValue **);
static ULONG (WINAPI *pUlPropSize)(SPropValue *);
static SCODE (WINAPI *pPropCopyMore)(SPropValue *, SPropValue *, ALLOCATEMORE *, void *);
static SPropValue * (WINAPI *pPpropFindProp)(SPropValue *, ULONG, ULONG);
static SPropValue * (WINAPI *pLpValFindProp)(ULONG, ULONG, SPropValue *);
static BOOL (WINAPI *pFPropExists)(IMAPIProp *, ULONG);
static HRESULT (WINAPI *pHrGetOneProp)(IMAPIProp *, ULONG, SPropValue **);
static HRESULT (WINAPI *pHrSetOneProp)(IMAPIProp *, SPropValue *);
static void (WINAPI *pFreeProws)(SRowSet *);
static void (WINAPI *pFreePadrlist)(ADRLIST *);
static HRESULT (WINAPI *pHrQueryAllRows)(IMAPITable *, SPropTagArray *, SRestriction *, SSortOrderSet *,
                                         LONG, SRowSet **);

static BOOL init_function_pointers(void)
{
    mapix = LoadLibraryA( "winemapix.dll" );
    ok(mapix != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError());
    if (!mapix) return FALSE;

#define X(f, name) p##f = (void *)GetProcAddress( mapix, name ); ok(p##f != NULL, "%s not exported.\n", name)
    X(MAPIAllocateBuffer, "MAPIAllocateBuffer");
    X(MAPIAllocateMore, "MAPIAllocateMore");
    X(MAPIFreeBuffer, "MAPIFreeBuffer");
    X(MAPIXGetLiveBuffers, "MAPIXGetLiveBuffers");
    X(ScCountProps, "ScCountProps@12");
    X(ScCopyProps, "ScCopyProps@16");
    X(ScRelocProps, "ScRelocProps@20");
    X(ScDupPropset, "ScDupPropset");
    X(UlPropSize, "UlPropSize@4");
    X(PropCopyMore, "PropCopyMore@16");
    X(PpropFindProp, "PpropFindProp@12");
    X(LpValFindProp, "LpValFindProp@12");
    X(FPropExists, "FPropExists");
    X(HrGetOneProp, "HrGetOneProp");
    X(HrSetOneProp, "HrSetOneProp");
    X(FreeProws, "FreeProws");
    X(FreePadrlist, "FreePadrlist");
    X(HrQueryAllRows, "HrQueryAllRows@24");
#undef X
    return pMAPIAllocateBuffer && pMAPIAllocateMore && pMAPIFreeBuffer && pMAPIXGetLiveBuffers && pScCountProps
            && pScCopyProps && pScRelocProps && pScDupPropset && pUlPropSize && pPropCopyMore && pPpropFindProp
            && pLpValFindProp && pFPropExists && pHrGetOneProp && pHrSetOneProp && pFreeProws && pFreePadrlist
            && pHrQueryAllRows;
}

static char str_a[] = "Hi!";
static WCHAR str_w[] = L"Hi!";
static BYTE bytes[19] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
static GUID guid = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};

static void test_UlPropSize(void)
{
    char *mva[2] = { str_a, str_a };
    WCHAR *mvw[2] = { str_w, str_w };
    SBinary mvbin[2] = { { 19, bytes }, { 1, bytes } };
    LONG longs[3] = { 1, 2, 3 };
    GUID guids[2];
    SPropValue pv;
    ULONG size;

    memset( &pv, 0, sizeof(pv) );
    pv.ulPropTag = PR_IMPORTANCE;
    ok(pUlPropSize( &pv ) == sizeof(LONG), "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_I2, 1);
    ok(pUlPropSize( &pv ) == 2, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_BOOLEAN, 1);
    ok(pUlPropSize( &pv ) == 2, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_SYSTIME, 1);
    ok(pUlPropSize( &pv ) == sizeof(FILETIME), "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_OBJECT, 1);
    ok(pUlPropSize( &pv ) == 0, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_NULL, 1);
    ok(pUlPropSize( &pv ) == 0, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_CLSID, 1);
    pv.Value.lpguid = &guid;
    ok(pUlPropSize( &pv ) == sizeof(GUID), "Got %lu.\n", pUlPropSize( &pv ));

    pv.ulPropTag = PROP_TAG(PT_STRING8, 1);
    pv.Value.lpszA = str_a;
    ok(pUlPropSize( &pv ) == 4, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_UNICODE, 1);
    pv.Value.lpszW = str_w;
    ok(pUlPropSize( &pv ) == 4 * sizeof(WCHAR), "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_BINARY, 1);
    pv.Value.bin.cb = 19;
    pv.Value.bin.lpb = bytes;
    ok(pUlPropSize( &pv ) == 19, "Got %lu.\n", pUlPropSize( &pv ));

    pv.ulPropTag = PROP_TAG(PT_MV_STRING8, 1);
    pv.Value.MVszA.cValues = 2;
    pv.Value.MVszA.lppszA = mva;
    ok(pUlPropSize( &pv ) == 8, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_MV_UNICODE, 1);
    pv.Value.MVszW.cValues = 2;
    pv.Value.MVszW.lppszW = mvw;
    ok(pUlPropSize( &pv ) == 8 * sizeof(WCHAR), "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_MV_BINARY, 1);
    pv.Value.MVbin.cValues = 2;
    pv.Value.MVbin.lpbin = mvbin;
    ok(pUlPropSize( &pv ) == 20, "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_MV_I4, 1);
    pv.Value.MVl.cValues = 3;
    pv.Value.MVl.lpl = longs;
    ok(pUlPropSize( &pv ) == 3 * sizeof(LONG), "Got %lu.\n", pUlPropSize( &pv ));
    pv.ulPropTag = PROP_TAG(PT_MV_CLSID, 1);
    pv.Value.MVguid.cValues = 2;
    pv.Value.MVguid.lpguid = guids;
    ok(pUlPropSize( &pv ) == 2 * sizeof(GUID), "Got %lu.\n", pUlPropSize( &pv ));

    /* unknown types have no size */
    pv.ulPropTag = PROP_TAG(0x77, 1);
    size = pUlPropSize( &pv );
    ok(size == 0, "Got %lu.\n", size);
}

static void test_ScCountProps(void)
{
    char *mva[3] = { str_a, str_a, str_a };
    WCHAR *mvw[3] = { str_w, str_w, str_w };
    SBinary mvbin[3] = { { 17, bytes }, { 2, bytes }, { 1, bytes } };
    SHORT shorts[3] = { 1, 2, 3 };
    SPropValue pv[2];
    ULONG size;
    SCODE sc;

    memset( pv, 0, sizeof(pv) );
    pv[0].ulPropTag = PR_IMPORTANCE;
    size = 0xdeadbeef;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue), "Unexpected sc %#lx, size %lu.\n", sc, size);

    /* lpcb is optional: the call then only validates */
    sc = pScCountProps( 1, pv, NULL );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);

    sc = pScCountProps( -1, pv, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    sc = pScCountProps( 1, NULL, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    pv[0].ulPropTag = PROP_TAG(PT_STRING8, 1);
    pv[0].Value.lpszA = str_a;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue) + 4, "Unexpected sc %#lx, size %lu.\n", sc, size);
    pv[0].Value.lpszA = NULL;
    size = 0xdeadbeef;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    ok(size == 0xdeadbeef, "size changed to %lu.\n", size);

    pv[0].ulPropTag = PROP_TAG(PT_UNICODE, 1);
    pv[0].Value.lpszW = str_w;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue) + 8, "Unexpected sc %#lx, size %lu.\n", sc, size);

    pv[0].ulPropTag = PROP_TAG(PT_MV_I2, 1);
    pv[0].Value.MVi.cValues = 3;
    pv[0].Value.MVi.lpi = shorts;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue) + 6, "Unexpected sc %#lx, size %lu.\n", sc, size);

    pv[0].ulPropTag = PROP_TAG(PT_MV_STRING8, 1);
    pv[0].Value.MVszA.cValues = 3;
    pv[0].Value.MVszA.lppszA = mva;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue) + 3 * sizeof(char *) + 12, "Unexpected sc %#lx, size %lu.\n", sc, size);

    pv[0].ulPropTag = PROP_TAG(PT_MV_UNICODE, 1);
    pv[0].Value.MVszW.cValues = 3;
    pv[0].Value.MVszW.lppszW = mvw;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue) + 3 * sizeof(WCHAR *) + 24, "Unexpected sc %#lx, size %lu.\n", sc, size);

    pv[0].ulPropTag = PROP_TAG(PT_MV_BINARY, 1);
    pv[0].Value.MVbin.cValues = 3;
    pv[0].Value.MVbin.lpbin = mvbin;
    sc = pScCountProps( 1, pv, &size );
    ok(sc == S_OK && size == sizeof(SPropValue) + 3 * sizeof(SBinary) + 20, "Unexpected sc %#lx, size %lu.\n", sc, size);

    /* types a value cannot carry */
    pv[0].ulPropTag = PROP_TAG(PT_NULL, 1);
    sc = pScCountProps( 1, pv, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    pv[0].ulPropTag = PROP_TAG(PT_UNSPECIFIED, 1);
    sc = pScCountProps( 1, pv, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    pv[0].ulPropTag = PROP_TAG(MV_FLAG | PT_ERROR, 1);
    sc = pScCountProps( 1, pv, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    /* a bad value anywhere in the array fails the whole array */
    pv[0].ulPropTag = PR_IMPORTANCE;
    pv[1].ulPropTag = PROP_TAG(0x77, 2);
    sc = pScCountProps( 2, pv, &size );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
}

static void check_copied_props( SPropValue *props, char *base, ULONG size, const char *context )
{
    ULONG i;

    winetest_push_context( "%s", context );
    ok(props[0].ulPropTag == PROP_TAG(PT_MV_STRING8, 1), "Unexpected tag %#lx.\n", props[0].ulPropTag);
    ok(props[0].Value.MVszA.cValues == 2, "Unexpected count %lu.\n", props[0].Value.MVszA.cValues);
    ok((char *)props[0].Value.MVszA.lppszA >= base && (char *)props[0].Value.MVszA.lppszA < base + size,
       "Array %p outside the block.\n", props[0].Value.MVszA.lppszA);
    ok(!((ULONG_PTR)props[0].Value.MVszA.lppszA & 7), "Array %p is not aligned.\n", props[0].Value.MVszA.lppszA);
    for (i = 0; i < 2; i++)
    {
        ok(props[0].Value.MVszA.lppszA[i] >= base && props[0].Value.MVszA.lppszA[i] < base + size,
           "String %lu outside the block.\n", i);
        ok(!strcmp( props[0].Value.MVszA.lppszA[i], i ? "two" : "Test" ), "Got %s.\n",
           props[0].Value.MVszA.lppszA[i]);
    }
    ok(props[1].ulPropTag == PR_SUBJECT_W, "Unexpected tag %#lx.\n", props[1].ulPropTag);
    ok(!((ULONG_PTR)props[1].Value.lpszW & 1), "String %p is not aligned.\n", props[1].Value.lpszW);
    ok(!wcscmp( props[1].Value.lpszW, L"subject" ), "Wrong string.\n");
    ok(props[2].ulPropTag == PR_ENTRYID, "Unexpected tag %#lx.\n", props[2].ulPropTag);
    ok(props[2].Value.bin.cb == 19 && !memcmp( props[2].Value.bin.lpb, bytes, 19 ), "Binary differs.\n");
    ok(props[2].Value.bin.lpb >= (BYTE *)base && props[2].Value.bin.lpb < (BYTE *)base + size, "Binary outside.\n");
    ok(props[3].ulPropTag == PR_IMPORTANCE && props[3].Value.l == 2, "Unexpected prop %#lx.\n", props[3].ulPropTag);
    ok(props[4].ulPropTag == PROP_TAG(PT_MV_CLSID, 0x6001), "Unexpected tag %#lx.\n", props[4].ulPropTag);
    ok(!((ULONG_PTR)props[4].Value.MVguid.lpguid & 7), "GUIDs %p not aligned.\n", props[4].Value.MVguid.lpguid);
    ok(IsEqualGUID( &props[4].Value.MVguid.lpguid[1], &guid ), "GUID differs.\n");
    winetest_pop_context();
}

static void test_ScCopyRelocProps(void)
{
    char *mva[2] = { (char *)"Test", (char *)"two" };
    GUID guids[2] = { { 0 }, guid };
    SPropValue pv[5];
    char *buffer, *buffer2;
    ULONG count, copied, reloc;
    SCODE sc;

    memset( pv, 0, sizeof(pv) );
    pv[0].ulPropTag = PROP_TAG(PT_MV_STRING8, 1);
    pv[0].Value.MVszA.cValues = 2;
    pv[0].Value.MVszA.lppszA = mva;
    pv[1].ulPropTag = PR_SUBJECT_W;
    pv[1].Value.lpszW = (WCHAR *)L"subject";
    pv[2].ulPropTag = PR_ENTRYID;
    pv[2].Value.bin.cb = 19;
    pv[2].Value.bin.lpb = bytes;
    pv[3].ulPropTag = PR_IMPORTANCE;
    pv[3].Value.l = 2;
    pv[4].ulPropTag = PROP_TAG(PT_MV_CLSID, 0x6001);
    pv[4].Value.MVguid.cValues = 2;
    pv[4].Value.MVguid.lpguid = guids;

    sc = pScCountProps( 5, pv, &count );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(count >= 5 * sizeof(SPropValue) + 2 * sizeof(char *) + 5 + 4 + 16 + 19 + 32, "Small count %lu.\n", count);

    buffer = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, count );
    buffer2 = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, count );

    sc = pScCopyProps( 5, pv, NULL, &copied );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    copied = 0;
    sc = pScCopyProps( 5, pv, buffer, &copied );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(copied == count, "Copied %lu, counted %lu.\n", copied, count);
    check_copied_props( (SPropValue *)buffer, buffer, count, "copy" );

    /* move it, wipe the original: relocation must only read the new copy */
    memcpy( buffer2, buffer, count );
    memset( buffer, 0, count );
    reloc = 0;
    sc = pScRelocProps( 5, (SPropValue *)buffer2, buffer, buffer2, &reloc );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(reloc == count, "Relocated %lu, counted %lu.\n", reloc, count);
    check_copied_props( (SPropValue *)buffer2, buffer2, count, "reloc" );

    /* to a neutral base and back, as for a disk round trip; pcb optional */
    sc = pScRelocProps( 5, (SPropValue *)buffer2, buffer2, NULL, NULL );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok((ULONG_PTR)((SPropValue *)buffer2)[1].Value.lpszW < count, "Not relocated to 0: %p.\n",
       ((SPropValue *)buffer2)[1].Value.lpszW);
    sc = pScRelocProps( 5, (SPropValue *)buffer2, NULL, buffer2, NULL );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    check_copied_props( (SPropValue *)buffer2, buffer2, count, "round trip" );

    pv[3].ulPropTag = PROP_TAG(0x77, 2);
    sc = pScRelocProps( 1, &pv[3], buffer, buffer2, NULL );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    HeapFree( GetProcessHeap(), 0, buffer );
    HeapFree( GetProcessHeap(), 0, buffer2 );
}

static void test_ScDupPropset(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    SPropValue pv[2], *dup;
    SCODE sc;

    pv[0].ulPropTag = PR_SUBJECT_A;
    pv[0].Value.lpszA = str_a;
    pv[1].ulPropTag = PR_ENTRYID;
    pv[1].Value.bin.cb = 4;
    pv[1].Value.bin.lpb = bytes;

    sc = pScDupPropset( 2, pv, pMAPIAllocateBuffer, NULL );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    dup = NULL;
    sc = pScDupPropset( 2, pv, pMAPIAllocateBuffer, &dup );
    ok(sc == S_OK && dup, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start + 1, "Expected one block.\n");
    ok(dup[0].Value.lpszA != str_a && !strcmp( dup[0].Value.lpszA, str_a ), "String not copied.\n");
    ok(dup[1].Value.bin.lpb != bytes && !memcmp( dup[1].Value.bin.lpb, bytes, 4 ), "Binary not copied.\n");
    pMAPIFreeBuffer( dup );
    ok(pMAPIXGetLiveBuffers() == start, "Leaked blocks.\n");

    pv[1].ulPropTag = PROP_TAG(PT_NULL, 3);
    dup = (void *)0xdeadbeef;
    sc = pScDupPropset( 2, pv, pMAPIAllocateBuffer, &dup );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    ok(pMAPIXGetLiveBuffers() == start, "Leaked blocks.\n");
}

static void test_PropCopyMore(void)
{
    static const ULONG types[] = { PT_I2, PT_I4, PT_R4, PT_R8, PT_CURRENCY, PT_APPTIME, PT_SYSTIME, PT_ERROR,
                                   PT_BOOLEAN, PT_I8, PT_CLSID, PT_STRING8, PT_UNICODE, PT_BINARY };
    LONG start = pMAPIXGetLiveBuffers();
    WCHAR *mvw[2] = { str_w, (WCHAR *)L"" };
    SPropValue src, *dst;
    unsigned int i;
    SCODE sc;

    sc = pMAPIAllocateBuffer( sizeof(SPropValue), (void **)&dst );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);

    sc = pPropCopyMore( dst, NULL, pMAPIAllocateMore, dst );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    sc = pPropCopyMore( NULL, &src, pMAPIAllocateMore, dst );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    for (i = 0; i < ARRAY_SIZE(types); i++)
    {
        memset( &src, 0xa5, sizeof(src) );
        src.ulPropTag = PROP_TAG(types[i], 0x100 + i);
        if (types[i] == PT_CLSID) src.Value.lpguid = &guid;
        if (types[i] == PT_STRING8) src.Value.lpszA = str_a;
        if (types[i] == PT_UNICODE) src.Value.lpszW = str_w;
        if (types[i] == PT_BINARY)
        {
            src.Value.bin.cb = 4;
            src.Value.bin.lpb = bytes;
        }
        memset( dst, 0, sizeof(*dst) );
        sc = pPropCopyMore( dst, &src, pMAPIAllocateMore, dst );
        ok(sc == S_OK, "type %#lx: unexpected sc %#lx.\n", types[i], sc);
        ok(dst->ulPropTag == src.ulPropTag, "type %#lx: tag %#lx.\n", types[i], dst->ulPropTag);
        switch (types[i])
        {
        case PT_CLSID:
            ok(dst->Value.lpguid != &guid && IsEqualGUID( dst->Value.lpguid, &guid ), "GUID not copied.\n");
            break;
        case PT_STRING8:
            ok(dst->Value.lpszA != str_a && !strcmp( dst->Value.lpszA, str_a ), "String not copied.\n");
            break;
        case PT_UNICODE:
            ok(dst->Value.lpszW != str_w && !wcscmp( dst->Value.lpszW, str_w ), "String not copied.\n");
            break;
        case PT_BINARY:
            ok(dst->Value.bin.cb == 4 && dst->Value.bin.lpb != bytes && !memcmp( dst->Value.bin.lpb, bytes, 4 ),
               "Binary not copied.\n");
            break;
        default:
            ok(!memcmp( &dst->Value, &src.Value, sizeof(src.Value) ), "type %#lx: value differs.\n", types[i]);
        }
    }

    src.ulPropTag = PROP_TAG(PT_MV_UNICODE, 1);
    src.Value.MVszW.cValues = 2;
    src.Value.MVszW.lppszW = mvw;
    sc = pPropCopyMore( dst, &src, pMAPIAllocateMore, dst );
    ok(sc == S_OK, "Unexpected sc %#lx.\n", sc);
    ok(dst->Value.MVszW.lppszW != mvw && !wcscmp( dst->Value.MVszW.lppszW[0], str_w )
       && !dst->Value.MVszW.lppszW[1][0], "MV strings not copied.\n");

    src.ulPropTag = PROP_TAG(0x77, 1);
    sc = pPropCopyMore( dst, &src, pMAPIAllocateMore, dst );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    ok(pMAPIXGetLiveBuffers() > start + 1, "Nothing was linked to the parent.\n");
    /* every block was linked to dst */
    pMAPIFreeBuffer( dst );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld blocks, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

static void test_find_prop(void)
{
    SPropValue pv[3];

    pv[0].ulPropTag = PR_IMPORTANCE;
    pv[1].ulPropTag = PR_SUBJECT_W;
    pv[2].ulPropTag = PROP_TAG(PT_NULL, 0x1234);

    ok(pPpropFindProp( pv, 3, PR_SUBJECT_W ) == &pv[1], "Not found.\n");
    ok(pPpropFindProp( pv, 3, PR_SUBJECT_A ) == NULL, "Found with wrong type.\n");
    ok(pPpropFindProp( pv, 3, CHANGE_PROP_TYPE(PR_SUBJECT_A, PT_UNSPECIFIED) ) == &pv[1], "Not found by id.\n");
    ok(pPpropFindProp( pv, 2, PROP_TAG(PT_NULL, 0x1234) ) == NULL, "Found beyond count.\n");
    ok(pPpropFindProp( pv, 3, PROP_TAG(PT_NULL, 0x1234) ) == &pv[2], "Not found.\n");
    ok(pPpropFindProp( NULL, 3, PR_SUBJECT_W ) == NULL, "Found in NULL.\n");

    /* LpValFindProp matches on the id alone */
    ok(pLpValFindProp( PR_SUBJECT_A, 3, pv ) == &pv[1], "Not found.\n");
    ok(pLpValFindProp( PROP_TAG(PT_NULL, 0x0017), 3, pv ) == &pv[0], "Not found.\n");
    ok(pLpValFindProp( PROP_TAG(PT_I4, 0x4321), 3, pv ) == NULL, "Found nonexistent.\n");
    ok(pLpValFindProp( PR_SUBJECT_A, 1, pv ) == NULL, "Found beyond count.\n");
    ok(pLpValFindProp( PR_SUBJECT_A, 3, NULL ) == NULL, "Found in NULL.\n");
}

/* a property object with one property, PR_IMPORTANCE, and a read-only
 * PR_SUBJECT_W */
struct test_prop
{
    IMAPIProp IMAPIProp_iface;
    LONG importance;
    unsigned int get_calls, set_calls;
};

static inline struct test_prop *impl_from_IMAPIProp( IMAPIProp *iface )
{
    return CONTAINING_RECORD(iface, struct test_prop, IMAPIProp_iface);
}

static HRESULT WINAPI unexpected_call( void *iface )
{
    ok(0, "unexpected call\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI test_prop_GetProps( IMAPIProp *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                          SPropValue **props )
{
    struct test_prop *prop = impl_from_IMAPIProp( iface );
    SPropValue *values;

    prop->get_calls++;
    ok(tags && tags->cValues == 1, "Unexpected tags %p.\n", tags);
    ok(!flags, "Unexpected flags %#lx.\n", flags);
    pMAPIAllocateBuffer( sizeof(*values), (void **)&values );
    *count = 1;
    *props = values;
    if (PROP_ID(tags->aulPropTag[0]) == PROP_ID(PR_IMPORTANCE)
            && (PROP_TYPE(tags->aulPropTag[0]) == PT_LONG || PROP_TYPE(tags->aulPropTag[0]) == PT_UNSPECIFIED))
    {
        values->ulPropTag = PR_IMPORTANCE;
        values->Value.l = prop->importance;
        return S_OK;
    }
    values->ulPropTag = CHANGE_PROP_TYPE(tags->aulPropTag[0], PT_ERROR);
    values->Value.err = PROP_ID(tags->aulPropTag[0]) == 0x6666 ? MAPI_E_NOT_ENOUGH_MEMORY : MAPI_E_NOT_FOUND;
    return MAPI_W_ERRORS_RETURNED;
}

static HRESULT WINAPI test_prop_SetProps( IMAPIProp *iface, ULONG count, SPropValue *props,
                                          SPropProblemArray **problems )
{
    struct test_prop *prop = impl_from_IMAPIProp( iface );

    prop->set_calls++;
    ok(count == 1, "Unexpected count %lu.\n", count);
    ok(problems != NULL, "No problem array pointer.\n");
    *problems = NULL;
    if (props->ulPropTag == PR_IMPORTANCE)
    {
        prop->importance = props->Value.l;
        return S_OK;
    }
    if (props->ulPropTag == PR_SUBJECT_W)
    {
        pMAPIAllocateBuffer( offsetof(SPropProblemArray, aProblem[1]), (void **)problems );
        (*problems)->cProblem = 1;
        (*problems)->aProblem[0].ulIndex = 0;
        (*problems)->aProblem[0].ulPropTag = props->ulPropTag;
        (*problems)->aProblem[0].scode = MAPI_E_NO_ACCESS;
        return S_OK;
    }
    return MAPI_E_CALL_FAILED;
}

static IMAPIPropVtbl test_prop_vtbl;

static void init_test_prop( struct test_prop *prop )
{
    void **slots = (void **)&test_prop_vtbl;
    unsigned int i;

    for (i = 0; i < sizeof(test_prop_vtbl) / sizeof(void *); i++) slots[i] = unexpected_call;
    test_prop_vtbl.GetProps = test_prop_GetProps;
    test_prop_vtbl.SetProps = test_prop_SetProps;
    memset( prop, 0, sizeof(*prop) );
    prop->IMAPIProp_iface.lpVtbl = &test_prop_vtbl;
    prop->importance = 1;
}

static void test_one_prop(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    struct test_prop obj;
    IMAPIProp *prop = &obj.IMAPIProp_iface;
    SPropValue *value, pv;
    HRESULT hr;

    init_test_prop( &obj );

    ok(pFPropExists( prop, PR_IMPORTANCE ) == TRUE, "PR_IMPORTANCE not found.\n");
    ok(pFPropExists( prop, CHANGE_PROP_TYPE(PR_IMPORTANCE, PT_UNSPECIFIED) ) == TRUE, "Not found by id.\n");
    ok(pFPropExists( prop, PR_SUBJECT_W ) == FALSE, "PR_SUBJECT_W found.\n");
    ok(pFPropExists( NULL, PR_SUBJECT_W ) == FALSE, "Found on NULL.\n");
    ok(obj.get_calls == 3, "GetProps called %u times.\n", obj.get_calls);

    value = (void *)0xdeadbeef;
    hr = pHrGetOneProp( prop, PR_IMPORTANCE, &value );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    ok(value && value->ulPropTag == PR_IMPORTANCE && value->Value.l == 1, "Unexpected value.\n");
    pMAPIFreeBuffer( value );

    value = (void *)0xdeadbeef;
    hr = pHrGetOneProp( prop, PR_SUBJECT_W, &value );
    ok(hr == MAPI_E_NOT_FOUND, "Unexpected hr %#lx.\n", hr);
    ok(value == NULL, "Unexpected value %p.\n", value);
    hr = pHrGetOneProp( prop, PROP_TAG(PT_LONG, 0x6666), &value );
    ok(hr == MAPI_E_NOT_ENOUGH_MEMORY, "Unexpected hr %#lx.\n", hr);
    hr = pHrGetOneProp( prop, PR_IMPORTANCE, NULL );
    ok(hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr);

    pv.ulPropTag = PR_IMPORTANCE;
    pv.Value.l = 2;
    hr = pHrSetOneProp( prop, &pv );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    ok(obj.importance == 2, "Value not set.\n");
    pv.ulPropTag = PR_SUBJECT_W;
    pv.Value.lpszW = str_w;
    hr = pHrSetOneProp( prop, &pv );
    ok(hr == MAPI_E_NO_ACCESS, "Unexpected hr %#lx.\n", hr);
    pv.ulPropTag = PR_BODY_W;
    hr = pHrSetOneProp( prop, &pv );
    ok(hr == MAPI_E_CALL_FAILED, "Unexpected hr %#lx.\n", hr);
    ok(obj.set_calls == 3, "SetProps called %u times.\n", obj.set_calls);

    ok(pMAPIXGetLiveBuffers() == start, "Got %ld blocks, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

static void test_free_rows(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    ADRLIST *list;
    SRowSet *rows;
    ULONG i;

    pMAPIAllocateBuffer( CbNewSRowSet(3), (void **)&rows );
    rows->cRows = 3;
    for (i = 0; i < 3; i++)
    {
        rows->aRow[i].cValues = 1;
        pMAPIAllocateBuffer( sizeof(SPropValue), (void **)&rows->aRow[i].lpProps );
    }
    ok(pMAPIXGetLiveBuffers() == start + 4, "Unexpected count.\n");
    pFreeProws( rows );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld blocks, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
    pFreeProws( NULL );

    pMAPIAllocateBuffer( offsetof(ADRLIST, aEntries[2]), (void **)&list );
    list->cEntries = 2;
    list->aEntries[0].cValues = 1;
    pMAPIAllocateBuffer( sizeof(SPropValue), (void **)&list->aEntries[0].rgPropVals );
    list->aEntries[1].cValues = 0;
    list->aEntries[1].rgPropVals = NULL;
    pFreePadrlist( list );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld blocks, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
    pFreePadrlist( NULL );
}

/* a table of five rows that returns at most two rows per QueryRows */
struct test_table
{
    IMAPITable IMAPITable_iface;
    ULONG position;
    char log[256];
};

static inline struct test_table *impl_from_IMAPITable( IMAPITable *iface )
{
    return CONTAINING_RECORD(iface, struct test_table, IMAPITable_iface);
}

static HRESULT WINAPI test_table_SetColumns( IMAPITable *iface, SPropTagArray *columns, ULONG flags )
{
    struct test_table *table = impl_from_IMAPITable( iface );
    ok(flags == TBL_BATCH, "Unexpected flags %#lx.\n", flags);
    strcat( table->log, "cols," );
    return S_OK;
}

static HRESULT WINAPI test_table_Restrict( IMAPITable *iface, SRestriction *res, ULONG flags )
{
    struct test_table *table = impl_from_IMAPITable( iface );
    ok(flags == TBL_BATCH, "Unexpected flags %#lx.\n", flags);
    strcat( table->log, "restrict," );
    return S_OK;
}

static HRESULT WINAPI test_table_SortTable( IMAPITable *iface, SSortOrderSet *sort, ULONG flags )
{
    struct test_table *table = impl_from_IMAPITable( iface );
    ok(flags == TBL_BATCH, "Unexpected flags %#lx.\n", flags);
    strcat( table->log, "sort," );
    return S_OK;
}

static HRESULT WINAPI test_table_SeekRow( IMAPITable *iface, BOOKMARK bookmark, LONG count, LONG *sought )
{
    struct test_table *table = impl_from_IMAPITable( iface );
    ok(bookmark == BOOKMARK_BEGINNING && !count, "Unexpected seek %Iu, %ld.\n", (SIZE_T)bookmark, count);
    table->position = 0;
    strcat( table->log, "seek," );
    return S_OK;
}

static HRESULT WINAPI test_table_QueryRows( IMAPITable *iface, LONG count, ULONG flags, SRowSet **out )
{
    struct test_table *table = impl_from_IMAPITable( iface );
    SRowSet *rows;
    ULONG i, n;

    strcat( table->log, "query," );
    ok(count > 0, "Unexpected count %ld.\n", count);
    n = min( min( 2, count ), 5 - table->position );
    pMAPIAllocateBuffer( CbNewSRowSet(n), (void **)&rows );
    rows->cRows = n;
    for (i = 0; i < n; i++)
    {
        rows->aRow[i].cValues = 1;
        pMAPIAllocateBuffer( sizeof(SPropValue), (void **)&rows->aRow[i].lpProps );
        rows->aRow[i].lpProps->ulPropTag = PR_INSTANCE_KEY;
        rows->aRow[i].lpProps->Value.l = table->position++;
    }
    *out = rows;
    return S_OK;
}

static IMAPITableVtbl test_table_vtbl;

static void init_test_table( struct test_table *table )
{
    void **slots = (void **)&test_table_vtbl;
    unsigned int i;

    for (i = 0; i < sizeof(test_table_vtbl) / sizeof(void *); i++) slots[i] = unexpected_call;
    test_table_vtbl.SetColumns = test_table_SetColumns;
    test_table_vtbl.Restrict = test_table_Restrict;
    test_table_vtbl.SortTable = test_table_SortTable;
    test_table_vtbl.SeekRow = test_table_SeekRow;
    test_table_vtbl.QueryRows = test_table_QueryRows;
    memset( table, 0, sizeof(*table) );
    table->IMAPITable_iface.lpVtbl = &test_table_vtbl;
}

static void test_HrQueryAllRows(void)
{
    LONG start = pMAPIXGetLiveBuffers();
    SizedSPropTagArray(1, columns) = { 1, { PR_INSTANCE_KEY } };
    SSortOrderSet sort = { 1, 0, 0, { { PR_INSTANCE_KEY, TABLE_SORT_ASCEND } } };
    struct test_table table;
    SRestriction res;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    init_test_table( &table );
    res.rt = RES_EXIST;
    res.res.resExist.ulPropTag = PR_INSTANCE_KEY;

    hr = pHrQueryAllRows( &table.IMAPITable_iface, NULL, NULL, NULL, 0, NULL );
    ok(hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr);
    hr = pHrQueryAllRows( NULL, NULL, NULL, NULL, 0, &rows );
    ok(hr == MAPI_E_INVALID_PARAMETER, "Unexpected hr %#lx.\n", hr);

    rows = NULL;
    hr = pHrQueryAllRows( &table.IMAPITable_iface, (SPropTagArray *)&columns, &res, &sort, 0, &rows );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    ok(!strcmp( table.log, "cols,restrict,sort,seek,query,query,query,query," ), "Calls %s.\n", table.log);
    ok(rows && rows->cRows == 5, "Got %lu rows.\n", rows ? rows->cRows : 0);
    for (i = 0; rows && i < rows->cRows; i++)
        ok(rows->aRow[i].lpProps[0].Value.l == i, "Row %lu has %ld.\n", i, rows->aRow[i].lpProps[0].Value.l);
    pFreeProws( rows );
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld blocks, expected %ld.\n", pMAPIXGetLiveBuffers(), start);

    /* no columns, restriction or sort: only the rows are read */
    table.log[0] = 0;
    hr = pHrQueryAllRows( &table.IMAPITable_iface, NULL, NULL, NULL, 5, &rows );
    ok(hr == S_OK, "Unexpected hr %#lx.\n", hr);
    ok(!strncmp( table.log, "seek,query,", 11 ), "Calls %s.\n", table.log);
    ok(rows && rows->cRows == 5, "Got %lu rows.\n", rows ? rows->cRows : 0);
    pFreeProws( rows );

    rows = (void *)0xdeadbeef;
    hr = pHrQueryAllRows( &table.IMAPITable_iface, NULL, NULL, NULL, 4, &rows );
    ok(hr == MAPI_E_TABLE_TOO_BIG, "Unexpected hr %#lx.\n", hr);
    ok(rows == NULL, "Unexpected rows %p.\n", rows);
    ok(pMAPIXGetLiveBuffers() == start, "Got %ld blocks, expected %ld.\n", pMAPIXGetLiveBuffers(), start);
}

START_TEST(prop)
{
    if (!init_function_pointers()) return;

    test_UlPropSize();
    test_ScCountProps();
    test_ScCopyRelocProps();
    test_ScDupPropset();
    test_PropCopyMore();
    test_find_prop();
    test_one_prop();
    test_free_rows();
    test_HrQueryAllRows();
}
