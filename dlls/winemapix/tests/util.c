/*
 * Tests of the miscellaneous MAPI utilities, the validators and the stubs
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
#include "winnls.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"

#include "wine/test.h"

static HMODULE mapix;

static void *get_proc( const char *name )
{
    void *proc = GetProcAddress( mapix, name );
    ok(proc != NULL, "%s not exported.\n", name);
    return proc;
}

static void test_hex(void)
{
    void (WINAPI *pHexFromBin)(BYTE *, int, char *) = get_proc( "HexFromBin@12" );
    BOOL (WINAPI *pFBinFromHex)(char *, BYTE *) = get_proc( "FBinFromHex@8" );
    SCODE (WINAPI *pScBinFromHexBounded)(char *, BYTE *, ULONG) = get_proc( "ScBinFromHexBounded" );
    UINT (WINAPI *pUFromSz)(const char *) = get_proc( "UFromSz@4" );
    ULONG (WINAPI *pUlFromSzHex)(const char *) = get_proc( "UlFromSzHex@4" );
    BYTE data[256], out[256];
    char hex[513];
    SCODE sc;
    int i;

    if (!pHexFromBin || !pFBinFromHex || !pScBinFromHexBounded || !pUFromSz || !pUlFromSzHex) return;

    for (i = 0; i < 256; i++) data[i] = i;
    memset( hex, 'x', sizeof(hex) );
    pHexFromBin( data, 256, hex );
    ok(!strncmp( hex, "000102030405060708090A0B0C0D0E0F10", 34 ), "Got %.34s.\n", hex);
    ok(!strcmp( hex + 500, "FAFBFCFDFEFF" ), "Got %s.\n", hex + 500);
    ok(strlen( hex ) == 512, "Length %Iu.\n", strlen( hex ));

    memset( out, 0, sizeof(out) );
    ok(pFBinFromHex( hex, out ) == TRUE, "FBinFromHex failed.\n");
    ok(!memcmp( out, data, 256 ), "Round trip differs.\n");
    ok(pFBinFromHex( (char *)"0aFf", out ) == TRUE && out[0] == 0x0a && out[1] == 0xff, "Mixed case failed.\n");
    ok(pFBinFromHex( (char *)"0G", out ) == FALSE, "Bad digit accepted.\n");
    ok(pFBinFromHex( (char *)"012", out ) == FALSE, "Odd length accepted.\n");

    sc = pScBinFromHexBounded( (char *)"0102", out, 2 );
    ok(sc == S_OK && out[0] == 1 && out[1] == 2, "Unexpected sc %#lx.\n", sc);
    sc = pScBinFromHexBounded( (char *)"010203", out, 2 );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);
    sc = pScBinFromHexBounded( (char *)"zz", out, 2 );
    ok(sc == MAPI_E_INVALID_PARAMETER, "Unexpected sc %#lx.\n", sc);

    ok(pUFromSz( "105" ) == 105, "Got %u.\n", pUFromSz( "105" ));
    ok(pUFromSz( "12a3" ) == 12, "Got %u.\n", pUFromSz( "12a3" ));
    ok(pUFromSz( "x1" ) == 0, "Got %u.\n", pUFromSz( "x1" ));
    ok(pUlFromSzHex( "fF" ) == 0xff, "Got %#lx.\n", pUlFromSzHex( "fF" ));
    ok(pUlFromSzHex( "1234abcdG" ) == 0x1234abcd, "Got %#lx.\n", pUlFromSzHex( "1234abcdG" ));
    ok(pUlFromSzHex( "0x1" ) == 0, "Got %#lx.\n", pUlFromSzHex( "0x1" ));
}

static void test_strings(void)
{
    char * (WINAPI *pSzFindCh)(const char *, USHORT) = get_proc( "SzFindCh" );
    char * (WINAPI *pSzFindLastCh)(const char *, USHORT) = get_proc( "SzFindLastCh" );
    char * (WINAPI *pSzFindSz)(const char *, const char *) = get_proc( "SzFindSz" );
    BOOL (WINAPI *pIsBadBoundedStringPtr)(const void *, UINT) = get_proc( "IsBadBoundedStringPtr@8" );
    int (WINAPI *plstrlenW)(const WCHAR *) = get_proc( "MNLS_lstrlenW" );
    int (WINAPI *plstrcmpW)(const WCHAR *, const WCHAR *) = get_proc( "MNLS_lstrcmpW" );
    WCHAR * (WINAPI *plstrcpyW)(WCHAR *, const WCHAR *) = get_proc( "MNLS_lstrcpyW" );
    int (WINAPI *pMultiByteToWideChar)(UINT, DWORD, const char *, int, WCHAR *, int) = get_proc( "MNLS_MultiByteToWideChar" );
    int (WINAPI *pWideCharToMultiByte)(UINT, DWORD, const WCHAR *, int, char *, int, const char *, BOOL *)
            = get_proc( "MNLS_WideCharToMultiByte" );
    int (WINAPI *pCompareStringW)(LCID, DWORD, const WCHAR *, int, const WCHAR *, int) = get_proc( "MNLS_CompareStringW" );
    BOOL (WINAPI *pIsBadStringPtrW)(const WCHAR *, UINT_PTR) = get_proc( "MNLS_IsBadStringPtrW" );
    static const char str[] = "abcabc";
    WCHAR bufW[16];
    char bufA[16];

    if (!pSzFindCh || !pSzFindLastCh || !pSzFindSz || !pIsBadBoundedStringPtr || !plstrlenW || !plstrcmpW
            || !plstrcpyW || !pMultiByteToWideChar || !pWideCharToMultiByte || !pCompareStringW || !pIsBadStringPtrW)
        return;

    ok(pSzFindCh( str, 'b' ) == str + 1, "Got %p.\n", pSzFindCh( str, 'b' ));
    ok(pSzFindLastCh( str, 'b' ) == str + 4, "Got %p.\n", pSzFindLastCh( str, 'b' ));
    ok(pSzFindCh( str, 'z' ) == NULL, "Found z.\n");
    ok(pSzFindSz( str, "ca" ) == str + 2, "Got %p.\n", pSzFindSz( str, "ca" ));
    ok(pSzFindSz( str, "cb" ) == NULL, "Found cb.\n");

    ok(pIsBadBoundedStringPtr( NULL, 10 ) == TRUE, "NULL accepted.\n");
    ok(pIsBadBoundedStringPtr( str, 7 ) == FALSE, "Fitting string refused.\n");
    ok(pIsBadBoundedStringPtr( str, 6 ) == TRUE, "Long string accepted.\n");
    ok(pIsBadBoundedStringPtr( (void *)0x10, 100 ) == TRUE, "Bad pointer accepted.\n");

    ok(plstrlenW( L"four" ) == 4, "Wrong length.\n");
    ok(plstrcmpW( L"a", L"b" ) < 0 && !plstrcmpW( L"a", L"a" ), "Wrong compare.\n");
    ok(plstrcpyW( bufW, L"copy" ) == bufW && !wcscmp( bufW, L"copy" ), "Wrong copy.\n");
    ok(pMultiByteToWideChar( CP_ACP, 0, "abc", -1, bufW, 16 ) == 4 && !wcscmp( bufW, L"abc" ), "MB2WC failed.\n");
    ok(pWideCharToMultiByte( CP_ACP, 0, L"xyz", -1, bufA, 16, NULL, NULL ) == 4 && !strcmp( bufA, "xyz" ),
       "WC2MB failed.\n");
    ok(pCompareStringW( LOCALE_USER_DEFAULT, NORM_IGNORECASE, L"ABC", -1, L"abc", -1 ) == CSTR_EQUAL,
       "CompareStringW failed.\n");
    ok(pIsBadStringPtrW( (WCHAR *)0x10, 10 ) == TRUE && pIsBadStringPtrW( L"ok", 10 ) == FALSE,
       "IsBadStringPtrW failed.\n");
}

static ULONGLONG u64( FILETIME ft )
{
    return ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

static FILETIME ft( ULONGLONG value )
{
    FILETIME ret = { (DWORD)value, (DWORD)(value >> 32) };
    return ret;
}

static void test_filetime(void)
{
    FILETIME (WINAPI *pFtAddFt)(FILETIME, FILETIME) = get_proc( "FtAddFt" );
    FILETIME (WINAPI *pFtSubFt)(FILETIME, FILETIME) = get_proc( "FtSubFt" );
    FILETIME (WINAPI *pFtNegFt)(FILETIME) = get_proc( "FtNegFt" );
    FILETIME (WINAPI *pFtMulDw)(DWORD, FILETIME) = get_proc( "FtMulDw" );
    FILETIME (WINAPI *pFtMulDwDw)(DWORD, DWORD) = get_proc( "FtMulDwDw" );
    FILETIME (WINAPI *pFtAdcFt)(FILETIME, FILETIME, WORD *) = get_proc( "FtAdcFt" );
    ULONGLONG a = 0x0123456789abcdefull, b = 0x00000001ffffffffull;
    WORD carry;

    if (!pFtAddFt || !pFtSubFt || !pFtNegFt || !pFtMulDw || !pFtMulDwDw || !pFtAdcFt) return;

    ok(u64( pFtAddFt( ft( a ), ft( b ) ) ) == a + b, "FtAddFt wrong.\n");
    ok(u64( pFtSubFt( ft( a ), ft( b ) ) ) == a - b, "FtSubFt wrong.\n");
    ok(u64( pFtNegFt( ft( a ) ) ) == 0 - a, "FtNegFt wrong.\n");
    ok(u64( pFtMulDw( 1000, ft( b ) ) ) == 1000 * b, "FtMulDw wrong.\n");
    ok(u64( pFtMulDwDw( 0xffffffff, 0xfffffffe ) ) == 0xffffffffull * 0xfffffffeull, "FtMulDwDw wrong.\n");

    ok(u64( pFtAdcFt( ft( a ), ft( b ), NULL ) ) == a + b, "FtAdcFt wrong.\n");
    carry = 0;
    ok(u64( pFtAdcFt( ft( a ), ft( b ), &carry ) ) == a + b && carry == 0, "FtAdcFt wrong, carry %u.\n", carry);
    carry = 1;
    ok(u64( pFtAdcFt( ft( a ), ft( b ), &carry ) ) == a + b + 1 && carry == 0, "FtAdcFt wrong, carry %u.\n", carry);
    carry = 0;
    ok(u64( pFtAdcFt( ft( ~0ull ), ft( 2 ), &carry ) ) == 1 && carry == 1, "FtAdcFt wrong, carry %u.\n", carry);
    carry = 1;
    ok(u64( pFtAdcFt( ft( ~0ull ), ft( 0 ), &carry ) ) == 0 && carry == 1, "FtAdcFt wrong, carry %u.\n", carry);
}

static LONG test_unk_refcount;

static HRESULT WINAPI test_unk_QueryInterface( IUnknown *iface, REFIID riid, void **out )
{
    ok(0, "unexpected call\n");
    return E_NOINTERFACE;
}

static ULONG WINAPI test_unk_AddRef( IUnknown *iface )
{
    return ++test_unk_refcount;
}

static ULONG WINAPI test_unk_Release( IUnknown *iface )
{
    return --test_unk_refcount;
}

static const IUnknownVtbl test_unk_vtbl = { test_unk_QueryInterface, test_unk_AddRef, test_unk_Release };

static void test_misc(void)
{
    ULONG (WINAPI *pUlAddRef)(void *) = get_proc( "UlAddRef" );
    ULONG (WINAPI *pUlRelease)(void *) = get_proc( "UlRelease" );
    BOOL (WINAPI *pFEqualNames)(MAPINAMEID *, MAPINAMEID *) = get_proc( "FEqualNames" );
    SCODE (WINAPI *pMapStorageSCode)(SCODE) = get_proc( "MapStorageSCode" );
    IUnknown unk = { &test_unk_vtbl };
    GUID guid1 = {1, 2, 3, {4}}, guid2 = guid1;
    MAPINAMEID name1, name2;

    if (!pUlAddRef || !pUlRelease || !pFEqualNames || !pMapStorageSCode) return;

    test_unk_refcount = 5;
    ok(pUlAddRef( &unk ) == 6 && test_unk_refcount == 6, "UlAddRef wrong.\n");
    ok(pUlRelease( &unk ) == 5 && test_unk_refcount == 5, "UlRelease wrong.\n");
    ok(pUlRelease( NULL ) == 0, "UlRelease(NULL) wrong.\n");

    name1.lpguid = &guid1;
    name1.ulKind = MNID_ID;
    name1.Kind.lID = 0x8001;
    name2 = name1;
    name2.lpguid = &guid2;
    ok(pFEqualNames( &name1, &name2 ) == TRUE, "Equal ids differ.\n");
    name2.Kind.lID = 0x8002;
    ok(pFEqualNames( &name1, &name2 ) == FALSE, "Different ids equal.\n");
    name1.ulKind = name2.ulKind = MNID_STRING;
    name1.Kind.lpwstrName = (WCHAR *)L"Keywords";
    name2.Kind.lpwstrName = (WCHAR *)L"Keywords";
    ok(pFEqualNames( &name1, &name2 ) == TRUE, "Equal names differ.\n");
    name2.Kind.lpwstrName = (WCHAR *)L"keywords";
    ok(pFEqualNames( &name1, &name2 ) == FALSE, "Comparison is not case-sensitive.\n");
    name2.Kind.lpwstrName = (WCHAR *)L"Keywords";
    guid2.Data1 = 7;
    ok(pFEqualNames( &name1, &name2 ) == FALSE, "Different GUIDs equal.\n");

    ok(pMapStorageSCode( S_OK ) == S_OK, "Wrong mapping.\n");
    ok(pMapStorageSCode( STG_E_INSUFFICIENTMEMORY ) == MAPI_E_NOT_ENOUGH_MEMORY, "Wrong mapping.\n");
    ok(pMapStorageSCode( STG_E_ACCESSDENIED ) == MAPI_E_NO_ACCESS, "Wrong mapping.\n");
    ok(pMapStorageSCode( STG_E_FILENOTFOUND ) == MAPI_E_NOT_FOUND, "Wrong mapping.\n");
    ok(pMapStorageSCode( STG_E_INVALIDPARAMETER ) == MAPI_E_INVALID_PARAMETER, "Wrong mapping.\n");
}

static void test_validators(void)
{
    ULONG (WINAPI *pFBadPropTag)(ULONG) = get_proc( "FBadPropTag@4" );
    ULONG (WINAPI *pFBadProp)(SPropValue *) = get_proc( "FBadProp@4" );
    ULONG (WINAPI *pFBadColumnSet)(SPropTagArray *) = get_proc( "FBadColumnSet@4" );
    ULONG (WINAPI *pFBadRow)(SRow *) = get_proc( "FBadRow@4" );
    BOOL (WINAPI *pFBadRowSet)(SRowSet *) = get_proc( "FBadRowSet@4" );
    BOOL (WINAPI *pFBadRglpszW)(WCHAR **, ULONG) = get_proc( "FBadRglpszW@8" );
    BOOL (WINAPI *pFBadRglpszA)(char **, ULONG) = get_proc( "FBadRglpszA@8" );
    BOOL (WINAPI *pFBadRglpNameID)(MAPINAMEID **, ULONG) = get_proc( "FBadRglpNameID" );
    BOOL (WINAPI *pFBadEntryList)(ENTRYLIST *) = get_proc( "FBadEntryList" );
    ULONG (WINAPI *pFBadSortOrderSet)(SSortOrderSet *) = get_proc( "FBadSortOrderSet" );
    ULONG (WINAPI *pFBadRestriction)(SRestriction *) = get_proc( "FBadRestriction" );
    WCHAR *strsW[3] = { (WCHAR *)L"a", (WCHAR *)L"b", NULL };
    char *strsA[3] = { (char *)"a", (char *)"b", NULL };
    SizedSPropTagArray(2, columns);
    SPropValue pv[2];
    SRow row;
    SRowSet rows;
    MAPINAMEID name, *names[1] = { &name };
    GUID guid = {1};
    SBinary bin = { 4, (BYTE *)"abcd" };
    ENTRYLIST list = { 1, &bin };
    SSortOrderSet sort = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_DESCEND } } };
    SRestriction res[3];
    ULONG pt;

    if (!pFBadPropTag || !pFBadProp || !pFBadColumnSet || !pFBadRow || !pFBadRowSet || !pFBadRglpszW
            || !pFBadRglpszA || !pFBadRglpNameID || !pFBadEntryList || !pFBadSortOrderSet || !pFBadRestriction)
        return;

    for (pt = 0; pt < 0x10000; pt++)
    {
        BOOL bad = TRUE;

        switch (pt & ~MV_FLAG)
        {
        case PT_UNSPECIFIED: case PT_NULL: case PT_I2: case PT_I4: case PT_R4: case PT_R8: case PT_CURRENCY:
        case PT_APPTIME: case PT_ERROR: case PT_BOOLEAN: case PT_OBJECT: case PT_I8: case PT_STRING8:
        case PT_UNICODE: case PT_SYSTIME: case PT_CLSID: case PT_BINARY:
            bad = FALSE;
        }
        if (!!pFBadPropTag( PROP_TAG(pt, 0x1234) ) != bad) break;
    }
    ok(pt == 0x10000, "FBadPropTag wrong for type %#lx.\n", pt);

    memset( pv, 0, sizeof(pv) );
    pv[0].ulPropTag = PR_IMPORTANCE;
    ok(!pFBadProp( &pv[0] ), "Valid prop refused.\n");
    pv[0].ulPropTag = PROP_TAG(0x77, 1);
    ok(pFBadProp( &pv[0] ), "Bad type accepted.\n");
    pv[0].ulPropTag = PR_SUBJECT_W;
    ok(pFBadProp( &pv[0] ), "NULL string accepted.\n");
    pv[0].Value.lpszW = (WCHAR *)L"";
    ok(!pFBadProp( &pv[0] ), "Valid string refused.\n");
    pv[0].ulPropTag = PROP_TAG(PT_CLSID, 1);
    pv[0].Value.lpguid = NULL;
    ok(pFBadProp( &pv[0] ), "NULL GUID accepted.\n");
    pv[0].ulPropTag = PROP_TAG(PT_MV_UNICODE, 1);
    pv[0].Value.MVszW.cValues = 3;
    pv[0].Value.MVszW.lppszW = strsW;
    ok(pFBadProp( &pv[0] ), "NULL in MV strings accepted.\n");
    pv[0].Value.MVszW.cValues = 2;
    ok(!pFBadProp( &pv[0] ), "Valid MV strings refused.\n");
    pv[0].ulPropTag = PROP_TAG(PT_MV_BINARY, 1);
    pv[0].Value.MVbin.cValues = 0;
    pv[0].Value.MVbin.lpbin = NULL;
    ok(!pFBadProp( &pv[0] ), "Empty MV binary refused.\n");
    ok(pFBadProp( NULL ), "NULL accepted.\n");

    ok(pFBadColumnSet( NULL ), "NULL column set accepted.\n");
    columns.cValues = 2;
    columns.aulPropTag[0] = PR_SUBJECT_W;
    columns.aulPropTag[1] = PROP_TAG(MV_FLAG | PT_ERROR, 1);
    ok(!pFBadColumnSet( (SPropTagArray *)&columns ), "Valid column set refused.\n");
    columns.aulPropTag[1] = PROP_TAG(PT_ERROR, 1);
    ok(pFBadColumnSet( (SPropTagArray *)&columns ), "PT_ERROR column accepted.\n");

    pv[0].ulPropTag = PR_IMPORTANCE;
    pv[1].ulPropTag = PR_SUBJECT_W;
    pv[1].Value.lpszW = (WCHAR *)L"x";
    row.cValues = 2;
    row.lpProps = pv;
    ok(!pFBadRow( &row ), "Valid row refused.\n");
    ok(pFBadRow( NULL ), "NULL row accepted.\n");
    rows.cRows = 1;
    rows.aRow[0] = row;
    ok(!pFBadRowSet( &rows ), "Valid row set refused.\n");
    ok(pFBadRowSet( NULL ), "NULL row set accepted.\n");
    pv[1].Value.lpszW = NULL;
    ok(pFBadRow( &row ) && pFBadRowSet( &rows ), "Bad row accepted.\n");

    ok(pFBadRglpszW( NULL, 10 ), "NULL array accepted.\n");
    ok(!pFBadRglpszW( strsW, 2 ), "Valid strings refused.\n");
    ok(pFBadRglpszW( strsW, 3 ), "NULL string accepted.\n");
    ok(!pFBadRglpszA( strsA, 2 ), "Valid strings refused.\n");
    ok(pFBadRglpszA( strsA, 3 ), "NULL string accepted.\n");

    name.lpguid = &guid;
    name.ulKind = MNID_STRING;
    name.Kind.lpwstrName = (WCHAR *)L"name";
    ok(!pFBadRglpNameID( names, 1 ), "Valid name refused.\n");
    name.Kind.lpwstrName = NULL;
    ok(pFBadRglpNameID( names, 1 ), "NULL name accepted.\n");
    name.ulKind = 5;
    ok(pFBadRglpNameID( names, 1 ), "Bad kind accepted.\n");
    ok(pFBadRglpNameID( NULL, 1 ), "NULL array accepted.\n");

    ok(!pFBadEntryList( &list ), "Valid list refused.\n");
    bin.lpb = (BYTE *)0x10;
    ok(pFBadEntryList( &list ), "Bad entry accepted.\n");
    ok(pFBadEntryList( NULL ), "NULL list accepted.\n");

    ok(!pFBadSortOrderSet( &sort ), "Valid sort refused.\n");
    sort.aSort[0].ulOrder = 3;
    ok(pFBadSortOrderSet( &sort ), "Bad order accepted.\n");
    ok(pFBadSortOrderSet( NULL ), "NULL sort accepted.\n");

    pv[0].ulPropTag = PR_SUBJECT_W;
    pv[0].Value.lpszW = (WCHAR *)L"s";
    res[0].rt = RES_AND;
    res[0].res.resAnd.cRes = 2;
    res[0].res.resAnd.lpRes = &res[1];
    res[1].rt = RES_EXIST;
    res[1].res.resExist.ulPropTag = PR_SUBJECT_W;
    res[2].rt = RES_PROPERTY;
    res[2].res.resProperty.relop = RELOP_EQ;
    res[2].res.resProperty.ulPropTag = PR_SUBJECT_W;
    res[2].res.resProperty.lpProp = &pv[0];
    ok(!pFBadRestriction( &res[0] ), "Valid restriction refused.\n");
    res[2].res.resProperty.relop = 9;
    ok(pFBadRestriction( &res[0] ), "Bad relop accepted.\n");
    res[2].res.resProperty.relop = RELOP_EQ;
    res[1].rt = 42;
    ok(pFBadRestriction( &res[0] ), "Bad type accepted.\n");
    ok(pFBadRestriction( NULL ), "NULL accepted.\n");
}

static void test_stubs(void)
{
    HRESULT (WINAPI *pMAPIOpenLocalFormContainer)(void **) = get_proc( "MAPIOpenLocalFormContainer" );
    HRESULT (WINAPI *pHrSzFromEntryID)(ULONG, ENTRYID *, char **) = get_proc( "HrSzFromEntryID" );
    HRESULT (WINAPI *pRTFSync)(void *, ULONG, BOOL *) = get_proc( "RTFSync" );
    SCODE (WINAPI *pScCreateConversationIndex)(ULONG, BYTE *, ULONG *, BYTE **) = get_proc( "ScCreateConversationIndex" );
    ULONG (WINAPI *pMAPISendMail)(ULONG_PTR, ULONG_PTR, void *, ULONG, ULONG) = get_proc( "MAPISendMail" );
    ULONG (WINAPI *pMAPILogon)(ULONG_PTR, char *, char *, ULONG, ULONG, ULONG_PTR *) = get_proc( "MAPILogon" );
    HRESULT (WINAPI *pHrValidateParameters)(int, void **) = get_proc( "HrValidateParameters" );
    void * (WINAPI *pFtgRegisterIdleRoutine)(void *, void *, short, ULONG, USHORT) = get_proc( "FtgRegisterIdleRoutine" );
    ULONG_PTR session;
    void *out;
    char *str;
    ULONG cb;
    BYTE *index;
    BOOL updated;

    if (!pMAPIOpenLocalFormContainer || !pHrSzFromEntryID || !pRTFSync || !pScCreateConversationIndex
            || !pMAPISendMail || !pMAPILogon || !pHrValidateParameters || !pFtgRegisterIdleRoutine)
        return;

    ok(pMAPIOpenLocalFormContainer( &out ) == MAPI_E_NO_SUPPORT, "Unexpected result.\n");
    ok(pHrSzFromEntryID( 0, NULL, &str ) == MAPI_E_NO_SUPPORT, "Unexpected result.\n");
    ok(pRTFSync( NULL, 0, &updated ) == MAPI_E_NO_SUPPORT, "Unexpected result.\n");
    ok(pScCreateConversationIndex( 0, NULL, &cb, &index ) == MAPI_E_NO_SUPPORT, "Unexpected result.\n");
    /* Simple MAPI's MAPI_E_NOT_SUPPORTED */
    ok(pMAPISendMail( 0, 0, NULL, 0, 0 ) == 26, "Unexpected result.\n");
    ok(pMAPILogon( 0, NULL, NULL, 0, 0, &session ) == 26, "Unexpected result.\n");
    ok(pHrValidateParameters( 0, &out ) == S_OK, "Unexpected result.\n");
    ok(pFtgRegisterIdleRoutine( NULL, NULL, 0, 0, 0 ) == NULL, "Unexpected result.\n");
}

START_TEST(util)
{
    mapix = LoadLibraryA( "winemapix.dll" );
    ok(mapix != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError());
    if (!mapix) return;

    test_hex();
    test_strings();
    test_filetime();
    test_misc();
    test_validators();
    test_stubs();
}
