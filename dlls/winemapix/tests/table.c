/*
 * Tests for CreateTable, ITableData, IMAPITable and the property comparison helpers
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
#include <stdlib.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapiguid.h"
#include "mapiext.h"

#include "wine/test.h"

/* Wine's mapidefs.h gets these three call macros wrong (argument counts,
 * and "Recstrict"), so the tests use their own. */
#undef IMAPITable_SeekRow
#define IMAPITable_SeekRow(p,a,b,c) (p)->lpVtbl->SeekRow(p,a,b,c)
#undef IMAPITable_QueryPosition
#define IMAPITable_QueryPosition(p,a,b,c) (p)->lpVtbl->QueryPosition(p,a,b,c)
#undef IMAPITable_Restrict
#define IMAPITable_Restrict(p,a,b) (p)->lpVtbl->Restrict(p,a,b)

#ifndef SizedSSortOrderSet
#define SizedSSortOrderSet(n, name) \
    struct { ULONG cSorts; ULONG cCategories; ULONG cExpanded; SSortOrder aSort[n]; } name
#endif

static SCODE (WINAPI *pCreateTable)(LPCIID, ALLOCATEBUFFER *, ALLOCATEMORE *, FREEBUFFER *, void *, ULONG, ULONG,
                                    SPropTagArray *, ITableData **);
static LONG (WINAPI *pLPropCompareProp)(SPropValue *, SPropValue *);
static BOOL (WINAPI *pFPropCompareProp)(SPropValue *, ULONG, SPropValue *);
static BOOL (WINAPI *pFPropContainsProp)(SPropValue *, SPropValue *, ULONG);

/* A chained allocator that counts live AllocateBuffer blocks, so every
 * test can check that everything handed out was freed exactly once. */
struct test_block
{
    struct test_block *more;
    DWORD magic;
    DWORD pad;
};

static LONG live_blocks;

static SCODE WINAPI test_alloc(ULONG size, void **out)
{
    struct test_block *b = calloc(1, sizeof(*b) + size);

    if (!b) return MAPI_E_NOT_ENOUGH_MEMORY;
    b->magic = 0x7ab1e;
    InterlockedIncrement(&live_blocks);
    *out = b + 1;
    return S_OK;
}

static SCODE WINAPI test_more(ULONG size, void *parent, void **out)
{
    struct test_block *p = (struct test_block *)parent - 1, *b;

    ok(p->magic == 0x7ab1e, "AllocateMore on a block that is not a parent.\n");
    if (!(b = calloc(1, sizeof(*b) + size))) return MAPI_E_NOT_ENOUGH_MEMORY;
    b->magic = 0x3073;
    b->more = p->more;
    p->more = b;
    *out = b + 1;
    return S_OK;
}

static ULONG WINAPI test_free(void *ptr)
{
    struct test_block *b, *next;

    if (!ptr) return 0;
    b = (struct test_block *)ptr - 1;
    ok(b->magic == 0x7ab1e, "freeing a block that is not live: %#lx.\n", b->magic);
    b->magic = 0xdead;
    for (next = b->more; next; )
    {
        struct test_block *n = next->more;
        free(next);
        next = n;
    }
    free(b);
    InterlockedDecrement(&live_blocks);
    return 0;
}

static void free_rows(SRowSet *rows)
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) test_free(rows->aRow[i].lpProps);
    test_free(rows);
}

#define PR_TEST_KEY   PROP_TAG(PT_LONG, 0x6700)
#define PR_TEST_NAME  PROP_TAG(PT_STRING8, 0x6701)
#define PR_TEST_NUM   PROP_TAG(PT_LONG, 0x6702)
#define PR_TEST_BIN   PROP_TAG(PT_BINARY, 0x6703)
#define PR_TEST_EXTRA PROP_TAG(PT_LONG, 0x6704)
#define PR_TEST_NUM2  PROP_TAG(PT_LONG, 0x6705)

static const SizedSPropTagArray(4, default_columns) =
    { 4, { PR_TEST_KEY, PR_TEST_NAME, PR_TEST_NUM, PR_TEST_BIN } };

static HRESULT add_row(ITableData *data, LONG key, const char *name, LONG num, BOOL with_num)
{
    SPropValue props[3];
    SRow row;

    props[0].ulPropTag = PR_TEST_KEY;
    props[0].Value.l = key;
    props[1].ulPropTag = PR_TEST_NAME;
    props[1].Value.lpszA = (char *)name;
    props[2].ulPropTag = PR_TEST_NUM;
    props[2].Value.l = num;
    row.ulAdrEntryPad = 0;
    row.cValues = with_num ? 3 : 2;
    row.lpProps = props;
    return ITableData_HrModifyRow(data, &row);
}

static ITableData *create_table(void)
{
    ITableData *data = NULL;
    SCODE sc;

    sc = pCreateTable(&IID_IMAPITableData, test_alloc, test_more, test_free, NULL, TBLTYPE_DYNAMIC,
                      PR_TEST_KEY, (SPropTagArray *)&default_columns, &data);
    ok(sc == S_OK, "CreateTable returned %#lx.\n", sc);
    return data;
}

/* fills keys[] with the PR_TEST_KEY of every row QueryRows returns from the cursor */
static ULONG read_keys(IMAPITable *view, LONG *keys, ULONG max_keys)
{
    SRowSet *rows;
    HRESULT hr;
    ULONG i, n;

    hr = IMAPITable_QueryRows(view, max_keys, 0, &rows);
    ok(hr == S_OK, "QueryRows returned %#lx.\n", hr);
    if (FAILED(hr)) return 0;
    n = rows->cRows;
    for (i = 0; i < n; i++)
    {
        ok(rows->aRow[i].lpProps[0].ulPropTag == PR_TEST_KEY, "row %lu column 0 is %#lx.\n", i,
           rows->aRow[i].lpProps[0].ulPropTag);
        keys[i] = rows->aRow[i].lpProps[0].Value.l;
    }
    free_rows(rows);
    return n;
}

static void check_keys_(unsigned line, IMAPITable *view, const LONG *expect, ULONG count)
{
    LONG keys[64];
    ULONG n, i;
    HRESULT hr;

    hr = IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 0, NULL);
    ok_(__FILE__, line)(hr == S_OK, "SeekRow returned %#lx.\n", hr);
    n = read_keys(view, keys, ARRAY_SIZE(keys));
    ok_(__FILE__, line)(n == count, "got %lu rows, expected %lu.\n", n, count);
    for (i = 0; i < min(n, count); i++)
        ok_(__FILE__, line)(keys[i] == expect[i], "row %lu: key %ld, expected %ld.\n", i, keys[i], expect[i]);
}
#define check_keys(v, e, c) check_keys_(__LINE__, v, e, c)

static void test_CreateTable(void)
{
    ITableData *data = (void *)0xdeadbeef;
    IUnknown *unk;
    SCODE sc;

    sc = pCreateTable(&IID_IMAPITableData, test_alloc, test_more, test_free, NULL, TBLTYPE_DYNAMIC,
                      PR_TEST_KEY, (SPropTagArray *)&default_columns, NULL);
    ok(sc == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", sc);
    sc = pCreateTable(&IID_IMAPITableData, NULL, test_more, test_free, NULL, TBLTYPE_DYNAMIC,
                      PR_TEST_KEY, (SPropTagArray *)&default_columns, &data);
    ok(sc == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", sc);
    sc = pCreateTable(&IID_IMAPITableData, test_alloc, test_more, test_free, NULL, TBLTYPE_DYNAMIC,
                      PR_TEST_KEY, NULL, &data);
    ok(sc == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", sc);

    data = create_table();
    if (!data) return;
    sc = ITableData_QueryInterface(data, &IID_IMAPITableData, (void **)&unk);
    ok(sc == S_OK && unk == (IUnknown *)data, "got %#lx, %p.\n", sc, unk);
    if (unk) IUnknown_Release(unk);
    sc = ITableData_QueryInterface(data, &IID_IMAPITable, (void **)&unk);
    ok(sc == E_NOINTERFACE && !unk, "got %#lx, %p.\n", sc, unk);
    ok(!ITableData_Release(data), "table data still referenced.\n");
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_rows(void)
{
    static const LONG order123[] = { 1, 2, 3 };
    ITableData *data = create_table();
    SPropValue key, props[2];
    IMAPITable *view;
    SRowSet *rows;
    SRow row, *one;
    ULONG count, num;
    HRESULT hr;

    if (!data) return;

    /* a row needs its index column */
    props[0].ulPropTag = PR_TEST_NAME;
    props[0].Value.lpszA = (char *)"nokey";
    row.cValues = 1;
    row.lpProps = props;
    hr = ITableData_HrModifyRow(data, &row);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);

    ok(add_row(data, 1, "alpha", 30, TRUE) == S_OK, "add failed.\n");
    ok(add_row(data, 2, "beta", 10, FALSE) == S_OK, "add failed.\n");
    ok(add_row(data, 3, "gamma", 20, TRUE) == S_OK, "add failed.\n");

    hr = ITableData_HrGetView(data, NULL, NULL, 0, &view);
    ok(hr == S_OK, "HrGetView returned %#lx.\n", hr);
    hr = IMAPITable_GetRowCount(view, 0, &count);
    ok(hr == S_OK && count == 3, "got %#lx, %lu rows.\n", hr, count);
    check_keys(view, order123, 3);

    /* default column set, missing values as PT_ERROR/MAPI_E_NOT_FOUND */
    IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 1, NULL);
    hr = IMAPITable_QueryRows(view, 1, 0, &rows);
    ok(hr == S_OK && rows->cRows == 1, "got %#lx.\n", hr);
    ok(rows->aRow[0].cValues == 4, "got %lu columns.\n", rows->aRow[0].cValues);
    ok(!strcmp(rows->aRow[0].lpProps[1].Value.lpszA, "beta"), "got %s.\n", rows->aRow[0].lpProps[1].Value.lpszA);
    ok(rows->aRow[0].lpProps[2].ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(PR_TEST_NUM)),
       "got tag %#lx.\n", rows->aRow[0].lpProps[2].ulPropTag);
    ok(rows->aRow[0].lpProps[2].Value.err == MAPI_E_NOT_FOUND, "got %#lx.\n", rows->aRow[0].lpProps[2].Value.err);
    ok(rows->aRow[0].lpProps[3].ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(PR_TEST_BIN)),
       "got tag %#lx.\n", rows->aRow[0].lpProps[3].ulPropTag);
    free_rows(rows);

    hr = IMAPITable_QueryRows(view, 0, 0, &rows);
    ok(hr == MAPI_E_INVALID_PARAMETER, "QueryRows(0) returned %#lx.\n", hr);

    /* modifying an existing key replaces the row in place */
    ok(add_row(data, 2, "BETA", 11, TRUE) == S_OK, "modify failed.\n");
    IMAPITable_GetRowCount(view, 0, &count);
    ok(count == 3, "got %lu rows.\n", count);
    check_keys(view, order123, 3);

    key.ulPropTag = PR_TEST_KEY;
    key.Value.l = 2;
    one = NULL;
    num = 0xdead;
    hr = ITableData_HrQueryRow(data, &key, &one, &num);
    ok(hr == S_OK, "HrQueryRow returned %#lx.\n", hr);
    ok(num == 1, "row number %lu.\n", num);
    if (one)
    {
        ok(one->cValues == 3, "got %lu values.\n", one->cValues);
        ok(!strcmp(one->lpProps[1].Value.lpszA, "BETA"), "got %s.\n", one->lpProps[1].Value.lpszA);
        test_free(one);
    }
    key.Value.l = 42;
    hr = ITableData_HrQueryRow(data, &key, &one, NULL);
    ok(hr == MAPI_E_NOT_FOUND, "got %#lx.\n", hr);

    hr = ITableData_HrEnumRow(data, 2, &one);
    ok(hr == S_OK && one && one->lpProps[0].Value.l == 3, "got %#lx, %p.\n", hr, one);
    if (one) test_free(one);
    one = (void *)0xdeadbeef;
    hr = ITableData_HrEnumRow(data, 3, &one);
    ok(hr == S_OK && !one, "got %#lx, %p.\n", hr, one);

    /* HrInsertRow puts the row at the given place; duplicates are refused */
    props[0].ulPropTag = PR_TEST_KEY;
    props[0].Value.l = 7;
    row.cValues = 1;
    row.lpProps = props;
    hr = ITableData_HrInsertRow(data, 0, &row);
    ok(hr == S_OK, "HrInsertRow returned %#lx.\n", hr);
    hr = ITableData_HrInsertRow(data, 0, &row);
    ok(hr == MAPI_E_INVALID_PARAMETER, "duplicate HrInsertRow returned %#lx.\n", hr);
    {
        static const LONG expect[] = { 7, 1, 2, 3 };
        check_keys(view, expect, 4);
    }

    hr = ITableData_HrDeleteRow(data, &props[0]);
    ok(hr == S_OK, "HrDeleteRow returned %#lx.\n", hr);
    hr = ITableData_HrDeleteRow(data, &props[0]);
    ok(hr == MAPI_E_NOT_FOUND, "second HrDeleteRow returned %#lx.\n", hr);
    check_keys(view, order123, 3);

    IMAPITable_Release(view);
    ok(!ITableData_Release(data), "table data still referenced.\n");
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_positioning(void)
{
    ITableData *data = create_table();
    IMAPITable *view;
    BOOKMARK bk, bk2;
    LONG keys[8], sought;
    ULONG row, num, denom, n, i;
    SRowSet *rows;
    HRESULT hr;

    if (!data) return;
    for (i = 1; i <= 5; i++) add_row(data, i, "x", i, TRUE);
    ITableData_HrGetView(data, NULL, NULL, 0, &view);

    hr = IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 2, &sought);
    ok(hr == S_OK && sought == 2, "got %#lx, %ld.\n", hr, sought);
    hr = IMAPITable_QueryPosition(view, &row, &num, &denom);
    ok(hr == S_OK && row == 2 && num == 2 && denom == 5, "got %#lx, %lu %lu/%lu.\n", hr, row, num, denom);
    hr = IMAPITable_SeekRow(view, BOOKMARK_CURRENT, 10, &sought);
    ok(hr == S_OK && sought == 3, "got %#lx, %ld.\n", hr, sought);
    hr = IMAPITable_SeekRow(view, BOOKMARK_END, -1, &sought);
    ok(hr == S_OK && sought == -1, "got %#lx, %ld.\n", hr, sought);
    n = read_keys(view, keys, 8);
    ok(n == 1 && keys[0] == 5, "got %lu rows, key %ld.\n", n, keys[0]);
    /* at the end, a forward read returns nothing */
    n = read_keys(view, keys, 8);
    ok(n == 0, "got %lu rows.\n", n);
    hr = IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, -3, &sought);
    ok(hr == S_OK && sought == 0, "got %#lx, %ld.\n", hr, sought);

    /* negative counts read the rows before the cursor, in table order */
    IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 4, NULL);
    hr = IMAPITable_QueryRows(view, -2, 0, &rows);
    ok(hr == S_OK && rows->cRows == 2, "got %#lx.\n", hr);
    ok(rows->aRow[0].lpProps[0].Value.l == 3 && rows->aRow[1].lpProps[0].Value.l == 4, "wrong rows.\n");
    free_rows(rows);
    IMAPITable_QueryPosition(view, &row, &num, &denom);
    ok(row == 2, "cursor at %lu.\n", row);

    hr = IMAPITable_QueryRows(view, 2, TBL_NOADVANCE, &rows);
    ok(hr == S_OK && rows->cRows == 2 && rows->aRow[0].lpProps[0].Value.l == 3, "got %#lx.\n", hr);
    free_rows(rows);
    IMAPITable_QueryPosition(view, &row, &num, &denom);
    ok(row == 2, "TBL_NOADVANCE moved the cursor to %lu.\n", row);

    hr = IMAPITable_SeekRowApprox(view, 1, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    hr = IMAPITable_SeekRowApprox(view, 3, 5);
    ok(hr == S_OK, "got %#lx.\n", hr);
    IMAPITable_QueryPosition(view, &row, &num, &denom);
    ok(row == 3, "cursor at %lu.\n", row);
    IMAPITable_SeekRowApprox(view, 1, 1);
    IMAPITable_QueryPosition(view, &row, &num, &denom);
    ok(row == 5, "cursor at %lu.\n", row);

    /* bookmarks */
    IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 1, NULL);
    hr = IMAPITable_CreateBookmark(view, &bk);
    ok(hr == S_OK, "CreateBookmark returned %#lx.\n", hr);
    IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 3, NULL);
    hr = IMAPITable_CreateBookmark(view, &bk2);
    ok(hr == S_OK && bk2 != bk, "CreateBookmark returned %#lx.\n", hr);
    hr = IMAPITable_SeekRow(view, bk, 1, &sought);
    ok(hr == S_OK && sought == 1, "got %#lx, %ld.\n", hr, sought);
    n = read_keys(view, keys, 1);
    ok(n == 1 && keys[0] == 3, "got key %ld.\n", keys[0]);
    hr = IMAPITable_FreeBookmark(view, bk);
    ok(hr == S_OK, "FreeBookmark returned %#lx.\n", hr);
    hr = IMAPITable_FreeBookmark(view, bk);
    ok(hr == MAPI_E_INVALID_BOOKMARK, "second FreeBookmark returned %#lx.\n", hr);
    hr = IMAPITable_SeekRow(view, bk, 0, NULL);
    ok(hr == MAPI_E_INVALID_BOOKMARK, "SeekRow on a freed bookmark returned %#lx.\n", hr);
    hr = IMAPITable_SeekRow(view, 0x1234, 0, NULL);
    ok(hr == MAPI_E_INVALID_BOOKMARK, "got %#lx.\n", hr);
    hr = IMAPITable_FreeBookmark(view, BOOKMARK_CURRENT);
    ok(hr == S_OK, "got %#lx.\n", hr);

    /* FindRow forward and backward */
    {
        SRestriction res;
        SPropValue val;

        val.ulPropTag = PR_TEST_NUM;
        val.Value.l = 2;
        res.rt = RES_PROPERTY;
        res.res.resProperty.relop = RELOP_GE;
        res.res.resProperty.ulPropTag = PR_TEST_NUM;
        res.res.resProperty.lpProp = &val;
        hr = IMAPITable_FindRow(view, &res, BOOKMARK_BEGINNING, 0);
        ok(hr == S_OK, "FindRow returned %#lx.\n", hr);
        IMAPITable_QueryPosition(view, &row, &num, &denom);
        ok(row == 1, "found row %lu.\n", row);
        hr = IMAPITable_FindRow(view, &res, BOOKMARK_END, DIR_BACKWARD);
        ok(hr == S_OK, "FindRow returned %#lx.\n", hr);
        IMAPITable_QueryPosition(view, &row, &num, &denom);
        ok(row == 4, "found row %lu.\n", row);
        hr = IMAPITable_FindRow(view, &res, bk2, 0);
        ok(hr == S_OK, "FindRow returned %#lx.\n", hr);
        IMAPITable_QueryPosition(view, &row, &num, &denom);
        ok(row == 3, "found row %lu.\n", row);
        val.Value.l = 99;
        hr = IMAPITable_FindRow(view, &res, BOOKMARK_BEGINNING, 0);
        ok(hr == MAPI_E_NOT_FOUND, "FindRow returned %#lx.\n", hr);
        hr = IMAPITable_FindRow(view, &res, bk, 0);
        ok(hr == MAPI_E_INVALID_BOOKMARK, "FindRow returned %#lx.\n", hr);
    }
    IMAPITable_FreeBookmark(view, bk2);

    IMAPITable_Release(view);
    ITableData_Release(data);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_sort(void)
{
    ITableData *data = create_table();
    SizedSSortOrderSet(2, sort);
    SSortOrderSet *got;
    IMAPITable *view;
    HRESULT hr;

    if (!data) return;
    add_row(data, 1, "b", 5, TRUE);
    add_row(data, 2, "a", 7, TRUE);
    add_row(data, 3, "b", 1, TRUE);
    add_row(data, 4, "a", 7, TRUE);
    ITableData_HrGetView(data, NULL, NULL, 0, &view);

    sort.cSorts = 1;
    sort.cCategories = 0;
    sort.cExpanded = 0;
    sort.aSort[0].ulPropTag = PR_TEST_NUM;
    sort.aSort[0].ulOrder = TABLE_SORT_ASCEND;
    hr = IMAPITable_SortTable(view, (SSortOrderSet *)&sort, 0);
    ok(hr == S_OK, "SortTable returned %#lx.\n", hr);
    {
        /* equal keys keep insertion order */
        static const LONG expect[] = { 3, 1, 2, 4 };
        check_keys(view, expect, 4);
    }

    sort.cSorts = 2;
    sort.aSort[0].ulPropTag = PR_TEST_NAME;
    sort.aSort[0].ulOrder = TABLE_SORT_DESCEND;
    sort.aSort[1].ulPropTag = PR_TEST_NUM;
    sort.aSort[1].ulOrder = TABLE_SORT_ASCEND;
    hr = IMAPITable_SortTable(view, (SSortOrderSet *)&sort, 0);
    ok(hr == S_OK, "SortTable returned %#lx.\n", hr);
    {
        static const LONG expect[] = { 3, 1, 2, 4 };
        check_keys(view, expect, 4);
    }
    hr = IMAPITable_QuerySortOrder(view, &got);
    ok(hr == S_OK && got->cSorts == 2 && got->aSort[0].ulPropTag == PR_TEST_NAME
       && got->aSort[0].ulOrder == TABLE_SORT_DESCEND, "got %#lx.\n", hr);
    test_free(got);

    /* new rows land in sorted position */
    add_row(data, 5, "c", 0, TRUE);
    add_row(data, 6, "a", 6, TRUE);
    {
        static const LONG expect[] = { 5, 3, 1, 6, 2, 4 };
        check_keys(view, expect, 6);
    }
    /* a modified row moves */
    add_row(data, 5, "a", 100, TRUE);
    {
        static const LONG expect[] = { 3, 1, 6, 2, 4, 5 };
        check_keys(view, expect, 6);
    }

    sort.cCategories = 1;
    hr = IMAPITable_SortTable(view, (SSortOrderSet *)&sort, 0);
    ok(hr == MAPI_E_TOO_COMPLEX, "categorized SortTable returned %#lx.\n", hr);
    sort.cCategories = 0;
    hr = IMAPITable_SortTable(view, NULL, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);

    /* an empty sort order goes back to insertion order */
    sort.cSorts = 0;
    hr = IMAPITable_SortTable(view, (SSortOrderSet *)&sort, 0);
    ok(hr == S_OK, "got %#lx.\n", hr);
    {
        static const LONG expect[] = { 1, 2, 3, 4, 5, 6 };
        check_keys(view, expect, 6);
    }

    IMAPITable_Release(view);
    ITableData_Release(data);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static ULONG restrict_count(IMAPITable *view, SRestriction *res, HRESULT expect_hr)
{
    ULONG count = 0xdead;
    HRESULT hr;

    hr = IMAPITable_Restrict(view, res, 0);
    ok(hr == expect_hr, "Restrict returned %#lx, expected %#lx.\n", hr, expect_hr);
    IMAPITable_GetRowCount(view, 0, &count);
    return count;
}

static void test_restrict(void)
{
    ITableData *data = create_table();
    SRestriction res, sub[2], not_res;
    SPropValue val, val2;
    IMAPITable *view;
    ULONG count;

    if (!data) return;
    add_row(data, 1, "Hello World", 5, TRUE);
    add_row(data, 2, "hello", 6, TRUE);
    add_row(data, 3, "other", 0x10, FALSE);
    ITableData_HrGetView(data, NULL, NULL, 0, &view);

    val.ulPropTag = PR_TEST_NUM;
    val.Value.l = 5;
    res.rt = RES_PROPERTY;
    res.res.resProperty.ulPropTag = PR_TEST_NUM;
    res.res.resProperty.lpProp = &val;
    res.res.resProperty.relop = RELOP_EQ;
    ok(restrict_count(view, &res, S_OK) == 1, "RELOP_EQ\n");
    res.res.resProperty.relop = RELOP_NE;
    ok(restrict_count(view, &res, S_OK) == 1, "RELOP_NE\n");
    res.res.resProperty.relop = RELOP_GT;
    ok(restrict_count(view, &res, S_OK) == 1, "RELOP_GT\n");
    res.res.resProperty.relop = RELOP_GE;
    ok(restrict_count(view, &res, S_OK) == 2, "RELOP_GE\n");
    res.res.resProperty.relop = RELOP_LT;
    ok(restrict_count(view, &res, S_OK) == 0, "RELOP_LT\n");
    res.res.resProperty.relop = RELOP_LE;
    ok(restrict_count(view, &res, S_OK) == 1, "RELOP_LE\n");

    /* NULL removes the restriction */
    ok(restrict_count(view, NULL, S_OK) == 3, "NULL\n");

    val.ulPropTag = PR_TEST_NAME;
    val.Value.lpszA = (char *)"hello";
    res.rt = RES_CONTENT;
    res.res.resContent.ulPropTag = PR_TEST_NAME;
    res.res.resContent.lpProp = &val;
    res.res.resContent.ulFuzzyLevel = FL_FULLSTRING;
    ok(restrict_count(view, &res, S_OK) == 1, "FL_FULLSTRING\n");
    res.res.resContent.ulFuzzyLevel = FL_PREFIX;
    ok(restrict_count(view, &res, S_OK) == 1, "FL_PREFIX\n");
    res.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
    ok(restrict_count(view, &res, S_OK) == 2, "FL_PREFIX|FL_IGNORECASE\n");
    val.Value.lpszA = (char *)"WORLD";
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    ok(restrict_count(view, &res, S_OK) == 0, "FL_SUBSTRING\n");
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_LOOSE;
    ok(restrict_count(view, &res, S_OK) == 1, "FL_SUBSTRING|FL_LOOSE\n");

    res.rt = RES_EXIST;
    res.res.resExist.ulReserved1 = res.res.resExist.ulReserved2 = 0;
    res.res.resExist.ulPropTag = PR_TEST_NUM;
    ok(restrict_count(view, &res, S_OK) == 2, "RES_EXIST\n");

    not_res = res;
    res.rt = RES_NOT;
    res.res.resNot.ulReserved = 0;
    res.res.resNot.lpRes = &not_res;
    ok(restrict_count(view, &res, S_OK) == 1, "RES_NOT\n");

    res.rt = RES_BITMASK;
    res.res.resBitMask.ulPropTag = PR_TEST_NUM;
    res.res.resBitMask.ulMask = 0x4;
    res.res.resBitMask.relBMR = BMR_NEZ;
    ok(restrict_count(view, &res, S_OK) == 2, "BMR_NEZ\n");
    res.res.resBitMask.relBMR = BMR_EQZ;
    ok(restrict_count(view, &res, S_OK) == 0, "BMR_EQZ\n");

    res.rt = RES_SIZE;
    res.res.resSize.ulPropTag = PR_TEST_NAME;
    res.res.resSize.relop = RELOP_GT;
    res.res.resSize.cb = 6;
    ok(restrict_count(view, &res, S_OK) == 1, "RES_SIZE\n");

    add_row(data, 4, "n", 3, TRUE);
    {
        SPropValue props[3];
        SRow row;

        props[0].ulPropTag = PR_TEST_KEY;
        props[0].Value.l = 4;
        props[1].ulPropTag = PR_TEST_NUM;
        props[1].Value.l = 3;
        props[2].ulPropTag = PR_TEST_NUM2;
        props[2].Value.l = 3;
        row.cValues = 3;
        row.lpProps = props;
        ITableData_HrModifyRow(data, &row);
    }
    res.rt = RES_COMPAREPROPS;
    res.res.resCompareProps.relop = RELOP_EQ;
    res.res.resCompareProps.ulPropTag1 = PR_TEST_NUM;
    res.res.resCompareProps.ulPropTag2 = PR_TEST_NUM2;
    ok(restrict_count(view, &res, S_OK) == 1, "RES_COMPAREPROPS\n");

    val.ulPropTag = PR_TEST_NUM;
    val.Value.l = 5;
    val2.ulPropTag = PR_TEST_NUM;
    val2.Value.l = 6;
    sub[0].rt = RES_PROPERTY;
    sub[0].res.resProperty.relop = RELOP_EQ;
    sub[0].res.resProperty.ulPropTag = PR_TEST_NUM;
    sub[0].res.resProperty.lpProp = &val;
    sub[1] = sub[0];
    sub[1].res.resProperty.lpProp = &val2;
    res.rt = RES_OR;
    res.res.resOr.cRes = 2;
    res.res.resOr.lpRes = sub;
    ok(restrict_count(view, &res, S_OK) == 2, "RES_OR\n");
    res.rt = RES_AND;
    ok(restrict_count(view, &res, S_OK) == 0, "RES_AND\n");

    /* the restriction is copied and still applies to later rows */
    res.rt = RES_OR;
    restrict_count(view, &res, S_OK);
    val.Value.l = 1234;
    add_row(data, 10, "late", 6, TRUE);
    IMAPITable_GetRowCount(view, 0, &count);
    ok(count == 3, "got %lu rows.\n", count);
    add_row(data, 11, "late", 7, TRUE);
    IMAPITable_GetRowCount(view, 0, &count);
    ok(count == 3, "got %lu rows.\n", count);

    res.rt = RES_COMMENT;
    res.res.resComment.cValues = 1;
    res.res.resComment.lpProp = &val;
    res.res.resComment.lpRes = &sub[1];
    ok(restrict_count(view, &res, S_OK) == 2, "RES_COMMENT\n");

    res.rt = RES_SUBRESTRICTION;
    res.res.resSub.ulSubObject = PR_MESSAGE_RECIPIENTS;
    res.res.resSub.lpRes = &sub[0];
    restrict_count(view, &res, MAPI_E_TOO_COMPLEX);

    IMAPITable_Release(view);
    ITableData_Release(data);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

struct test_sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    ULONG events[16];
    LONG keys[16];
    LONG prior[16];
    ULONG count;
};

static struct test_sink *impl_from_IMAPIAdviseSink(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct test_sink, IMAPIAdviseSink_iface);
}

static HRESULT WINAPI sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **out)
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef(IMAPIAdviseSink *iface)
{
    return InterlockedIncrement(&impl_from_IMAPIAdviseSink(iface)->refcount);
}

static ULONG WINAPI sink_Release(IMAPIAdviseSink *iface)
{
    return InterlockedDecrement(&impl_from_IMAPIAdviseSink(iface)->refcount);
}

static HRESULT WINAPI sink_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notif)
{
    struct test_sink *sink = impl_from_IMAPIAdviseSink(iface);
    ULONG i;

    for (i = 0; i < count; i++)
    {
        ok(notif[i].ulEventType == fnevTableModified, "got event type %#lx.\n", notif[i].ulEventType);
        if (sink->count >= ARRAY_SIZE(sink->events)) continue;
        sink->events[sink->count] = notif[i].info.tab.ulTableEvent;
        sink->keys[sink->count] = notif[i].info.tab.propIndex.ulPropTag == PR_TEST_KEY
                ? notif[i].info.tab.propIndex.Value.l : -1;
        sink->prior[sink->count] = notif[i].info.tab.propPrior.ulPropTag == PR_TEST_KEY
                ? notif[i].info.tab.propPrior.Value.l : -1;
        sink->count++;
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl =
{
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_OnNotify,
};

static ULONG release_called, release_data;

static void WINAPI view_released(ULONG data, ITableData *table, IMAPITable *view)
{
    release_called++;
    release_data = data;
}

static void test_notifications(void)
{
    struct test_sink sink = { { &sink_vtbl }, 1 }, sink2 = { { &sink_vtbl }, 1 };
    ITableData *data = create_table();
    IMAPITable *view, *view2;
    SPropValue key, props[9][1];
    SRow rows_buf[9];
    SRowSet *set;
    ULONG conn, conn2, i, deleted;
    SRestriction res;
    HRESULT hr;

    if (!data) return;
    add_row(data, 1, "a", 1, TRUE);
    hr = ITableData_HrGetView(data, NULL, view_released, 0x55, &view);
    ok(hr == S_OK, "got %#lx.\n", hr);
    ITableData_HrGetView(data, NULL, NULL, 0, &view2);

    hr = IMAPITable_Advise(view, fnevTableModified, &sink.IMAPIAdviseSink_iface, &conn);
    ok(hr == S_OK && conn, "Advise returned %#lx.\n", hr);
    ok(sink.refcount == 2, "sink refcount %ld.\n", sink.refcount);
    hr = IMAPITable_Advise(view2, fnevTableModified, &sink2.IMAPIAdviseSink_iface, &conn2);
    ok(hr == S_OK, "Advise returned %#lx.\n", hr);

    /* view2 only shows key 1 and 3 */
    key.ulPropTag = PR_TEST_NUM;
    key.Value.l = 2;
    res.rt = RES_PROPERTY;
    res.res.resProperty.relop = RELOP_NE;
    res.res.resProperty.ulPropTag = PR_TEST_NUM;
    res.res.resProperty.lpProp = &key;
    IMAPITable_Restrict(view2, &res, 0);

    add_row(data, 2, "b", 2, TRUE);
    add_row(data, 1, "a2", 1, TRUE);
    key.ulPropTag = PR_TEST_KEY;
    key.Value.l = 2;
    ITableData_HrDeleteRow(data, &key);

    ok(sink.count == 3, "got %lu notifications.\n", sink.count);
    ok(sink.events[0] == TABLE_ROW_ADDED && sink.keys[0] == 2 && sink.prior[0] == 1,
       "got event %lu key %ld prior %ld.\n", sink.events[0], sink.keys[0], sink.prior[0]);
    ok(sink.events[1] == TABLE_ROW_MODIFIED && sink.keys[1] == 1 && sink.prior[1] == -1,
       "got event %lu key %ld prior %ld.\n", sink.events[1], sink.keys[1], sink.prior[1]);
    ok(sink.events[2] == TABLE_ROW_DELETED && sink.keys[2] == 2, "got event %lu key %ld.\n",
       sink.events[2], sink.keys[2]);
    /* rows a restriction hides produce nothing */
    ok(sink2.count == 1 && sink2.events[0] == TABLE_ROW_MODIFIED, "got %lu notifications.\n", sink2.count);

    /* HrNotify sends a modification for an unchanged row */
    sink.count = 0;
    key.Value.l = 1;
    hr = ITableData_HrNotify(data, 0, 1, &key);
    ok(hr == S_OK, "HrNotify returned %#lx.\n", hr);
    ok(sink.count == 1 && sink.events[0] == TABLE_ROW_MODIFIED, "got %lu notifications.\n", sink.count);

    /* more than eight rows at once: a single TABLE_CHANGED */
    sink.count = 0;
    hr = ITableData_HrModifyRows(data, 0, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    set = malloc(CbNewSRowSet(9));
    for (i = 0; i < 9; i++)
    {
        props[i][0].ulPropTag = PR_TEST_KEY;
        props[i][0].Value.l = 100 + i;
        rows_buf[i].cValues = 1;
        rows_buf[i].lpProps = props[i];
        set->aRow[i] = rows_buf[i];
    }
    set->cRows = 9;
    hr = ITableData_HrModifyRows(data, 0, set);
    ok(hr == S_OK, "HrModifyRows returned %#lx.\n", hr);
    ok(sink.count == 1 && sink.events[0] == TABLE_CHANGED, "got %lu notifications, first %lu.\n",
       sink.count, sink.events[0]);
    sink.count = 0;
    set->cRows = 2;
    hr = ITableData_HrModifyRows(data, 0, set);
    ok(sink.count == 2 && sink.events[0] == TABLE_ROW_MODIFIED, "got %lu notifications.\n", sink.count);

    sink.count = 0;
    hr = ITableData_HrDeleteRows(data, 0, set, &deleted);
    ok(hr == S_OK && deleted == 2, "got %#lx, %lu.\n", hr, deleted);
    ok(sink.count == 2 && sink.events[0] == TABLE_ROW_DELETED, "got %lu notifications.\n", sink.count);
    hr = ITableData_HrDeleteRows(data, 0, set, &deleted);
    ok(hr == S_OK && !deleted, "got %#lx, %lu.\n", hr, deleted);
    hr = ITableData_HrDeleteRows(data, TAD_ALL_ROWS, NULL, &deleted);
    ok(hr == S_OK && deleted == 8, "got %#lx, %lu.\n", hr, deleted);
    IMAPITable_GetRowCount(view, 0, &i);
    ok(!i, "got %lu rows.\n", i);
    free(set);

    hr = IMAPITable_Unadvise(view, conn);
    ok(hr == S_OK, "Unadvise returned %#lx.\n", hr);
    ok(sink.refcount == 1, "sink refcount %ld.\n", sink.refcount);
    hr = IMAPITable_Unadvise(view, conn);
    ok(hr == MAPI_E_NOT_FOUND, "second Unadvise returned %#lx.\n", hr);

    IMAPITable_Release(view);
    ok(release_called == 1 && release_data == 0x55, "CALLERRELEASE called %lu times, %#lx.\n",
       release_called, release_data);
    IMAPITable_Release(view2);
    ok(sink2.refcount == 1, "sink2 refcount %ld.\n", sink2.refcount);
    ok(!ITableData_Release(data), "table data still referenced.\n");
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_misc(void)
{
    ITableData *data = create_table();
    SPropTagArray *cols;
    IMAPITable *view;
    MAPIERROR *error;
    SPropValue props[2];
    ULONG status, type;
    SRow row;
    HRESULT hr;

    if (!data) return;
    ITableData_HrGetView(data, NULL, NULL, 0, &view);

    hr = IMAPITable_GetStatus(view, &status, &type);
    ok(hr == S_OK && status == TBLSTAT_COMPLETE && type == TBLTYPE_DYNAMIC, "got %#lx, %lu, %lu.\n",
       hr, status, type);
    status = 0xdead;
    hr = IMAPITable_WaitForCompletion(view, 0, 100, &status);
    ok(hr == S_OK && status == TBLSTAT_COMPLETE, "got %#lx, %lu.\n", hr, status);
    hr = IMAPITable_Abort(view);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = IMAPITable_CollapseRow(view, 0, NULL, 0, &status);
    ok(hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr);
    hr = IMAPITable_GetCollapseState(view, 0, 0, NULL, &status, NULL);
    ok(hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr);
    error = (void *)0xdeadbeef;
    hr = IMAPITable_GetLastError(view, MAPI_E_NOT_FOUND, 0, &error);
    ok(hr == S_OK && !error, "got %#lx, %p.\n", hr, error);

    hr = IMAPITable_QueryColumns(view, 0, &cols);
    ok(hr == S_OK && cols->cValues == 4 && cols->aulPropTag[1] == PR_TEST_NAME, "got %#lx.\n", hr);
    test_free(cols);

    /* a column no row had before becomes available, but not in the current set */
    props[0].ulPropTag = PR_TEST_KEY;
    props[0].Value.l = 1;
    props[1].ulPropTag = PR_TEST_EXTRA;
    props[1].Value.l = 77;
    row.cValues = 2;
    row.lpProps = props;
    ITableData_HrModifyRow(data, &row);
    hr = IMAPITable_QueryColumns(view, TBL_ALL_COLUMNS, &cols);
    ok(hr == S_OK && cols->cValues == 5 && cols->aulPropTag[4] == PR_TEST_EXTRA, "got %#lx, %lu.\n", hr, cols->cValues);
    test_free(cols);
    hr = IMAPITable_QueryColumns(view, 0, &cols);
    ok(hr == S_OK && cols->cValues == 4, "got %#lx.\n", hr);
    test_free(cols);

    {
        SizedSPropTagArray(2, set) = { 2, { PR_TEST_EXTRA, PR_TEST_KEY } };
        SRowSet *rows;

        hr = IMAPITable_SetColumns(view, NULL, 0);
        ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
        hr = IMAPITable_SetColumns(view, (SPropTagArray *)&set, 0);
        ok(hr == S_OK, "got %#lx.\n", hr);
        IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 0, NULL);
        hr = IMAPITable_QueryRows(view, 1, 0, &rows);
        ok(hr == S_OK && rows->cRows == 1 && rows->aRow[0].cValues == 2, "got %#lx.\n", hr);
        ok(rows->aRow[0].lpProps[0].ulPropTag == PR_TEST_EXTRA && rows->aRow[0].lpProps[0].Value.l == 77,
           "got %#lx.\n", rows->aRow[0].lpProps[0].ulPropTag);
        free_rows(rows);
        hr = IMAPITable_QueryColumns(view, 0, &cols);
        ok(hr == S_OK && cols->cValues == 2 && cols->aulPropTag[0] == PR_TEST_EXTRA, "got %#lx.\n", hr);
        test_free(cols);
    }

    IMAPITable_Release(view);
    ITableData_Release(data);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_large(void)
{
    ITableData *data = create_table();
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_TEST_NUM, TABLE_SORT_DESCEND } } };
    SPropValue (*props)[2];
    SRowSet *set, *rows;
    IMAPITable *view;
    ULONG i, n = 100000;
    LONG prev = 0x7fffffff;
    BOOL sorted = TRUE;
    HRESULT hr;

    if (!data) return;
    props = malloc(n * sizeof(*props));
    set = malloc(CbNewSRowSet(n));
    for (i = 0; i < n; i++)
    {
        props[i][0].ulPropTag = PR_TEST_KEY;
        props[i][0].Value.l = i;
        props[i][1].ulPropTag = PR_TEST_NUM;
        props[i][1].Value.l = (i * 7919) % 10007;
        set->aRow[i].cValues = 2;
        set->aRow[i].lpProps = props[i];
    }
    set->cRows = n;
    hr = ITableData_HrModifyRows(data, 0, set);
    ok(hr == S_OK, "HrModifyRows returned %#lx.\n", hr);
    ITableData_HrGetView(data, (SSortOrderSet *)&sort, NULL, 0, &view);
    hr = IMAPITable_QueryRows(view, n, 0, &rows);
    ok(hr == S_OK && rows->cRows == n, "got %#lx, %lu rows.\n", hr, rows ? rows->cRows : 0);
    for (i = 0; i < rows->cRows; i++)
    {
        if (rows->aRow[i].lpProps[2].Value.l > prev) sorted = FALSE;
        prev = rows->aRow[i].lpProps[2].Value.l;
    }
    ok(sorted, "rows are not sorted.\n");
    free_rows(rows);

    /* single-row changes on a big sorted table stay cheap: a thousand of
     * them, then the view must still be complete and in order */
    for (i = 0; i < 1000; i++)
    {
        SRow row;

        props[i][1].Value.l = 20000 + i;
        row.cValues = 2;
        row.lpProps = props[i];
        ITableData_HrModifyRow(data, &row);
        if (i % 2) ITableData_HrDeleteRow(data, &props[i][0]);
    }
    hr = IMAPITable_GetRowCount(view, 0, &i);
    ok(hr == S_OK && i == n - 500, "got %lu rows.\n", i);
    IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, 0, NULL);
    hr = IMAPITable_QueryRows(view, 3, 0, &rows);
    ok(hr == S_OK && rows->cRows == 3, "got %#lx.\n", hr);
    ok(rows->aRow[0].lpProps[2].Value.l == 20998 && rows->aRow[1].lpProps[2].Value.l == 20996,
       "got %ld, %ld.\n", rows->aRow[0].lpProps[2].Value.l, rows->aRow[1].lpProps[2].Value.l);
    free_rows(rows);
    free(set);
    free(props);
    IMAPITable_Release(view);
    ITableData_Release(data);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_propval(void)
{
    SPropValue a, b;
    BYTE bin1[] = { 1, 2, 3, 4 }, bin2[] = { 2, 3 };

    a.ulPropTag = b.ulPropTag = PR_TEST_NUM;
    a.Value.l = 1;
    b.Value.l = 2;
    ok(pLPropCompareProp(&a, &b) < 0, "1 vs 2\n");
    ok(pLPropCompareProp(&b, &a) > 0, "2 vs 1\n");
    b.Value.l = 1;
    ok(!pLPropCompareProp(&a, &b), "1 vs 1\n");
    a.Value.l = -5;
    ok(pLPropCompareProp(&a, &b) < 0, "-5 vs 1\n");
    ok(pFPropCompareProp(&a, RELOP_LT, &b), "RELOP_LT\n");
    ok(!pFPropCompareProp(&a, RELOP_GE, &b), "RELOP_GE\n");
    ok(pFPropCompareProp(&a, RELOP_NE, &b), "RELOP_NE\n");

    a.ulPropTag = b.ulPropTag = PR_TEST_NAME;
    a.Value.lpszA = (char *)"abc";
    b.Value.lpszA = (char *)"abd";
    ok(pLPropCompareProp(&a, &b) < 0, "abc vs abd\n");
    ok(pFPropCompareProp(&b, RELOP_GT, &a), "RELOP_GT\n");

    a.Value.lpszA = (char *)"Some Text";
    b.Value.lpszA = (char *)"text";
    ok(!pFPropContainsProp(&a, &b, FL_SUBSTRING), "case sensitive substring\n");
    ok(pFPropContainsProp(&a, &b, FL_SUBSTRING | FL_IGNORECASE), "substring ignoring case\n");
    ok(!pFPropContainsProp(&a, &b, FL_PREFIX | FL_IGNORECASE), "not a prefix\n");
    b.Value.lpszA = (char *)"some";
    ok(pFPropContainsProp(&a, &b, FL_PREFIX | FL_IGNORECASE), "prefix ignoring case\n");
    ok(!pFPropContainsProp(&a, &b, FL_FULLSTRING | FL_IGNORECASE), "full string\n");
    b.Value.lpszA = (char *)"Some Text";
    ok(pFPropContainsProp(&a, &b, FL_FULLSTRING), "full string\n");
    /* an invalid lower word means a full-string match */
    b.Value.lpszA = (char *)"Some";
    ok(!pFPropContainsProp(&a, &b, 0x7), "invalid fuzzy level\n");

    a.ulPropTag = b.ulPropTag = PR_TEST_BIN;
    a.Value.bin.cb = sizeof(bin1);
    a.Value.bin.lpb = bin1;
    b.Value.bin.cb = sizeof(bin2);
    b.Value.bin.lpb = bin2;
    ok(pFPropContainsProp(&a, &b, FL_SUBSTRING), "binary substring\n");
    ok(!pFPropContainsProp(&a, &b, FL_PREFIX), "binary prefix\n");
    ok(pLPropCompareProp(&a, &b) < 0, "binary order\n");

    /* multi-valued values compare by their elements, not where they are */
    {
        FILETIME times1[2] = { { 1, 2 }, { 3, 4 } }, times2[2] = { { 1, 2 }, { 3, 4 } };
        double doubles1[1] = { 1.5 }, doubles2[2] = { 1.5, -1.0 };

        a.ulPropTag = b.ulPropTag = PROP_TAG(PT_MV_SYSTIME, 0x6100);
        a.Value.MVft.cValues = b.Value.MVft.cValues = 2;
        a.Value.MVft.lpft = times1;
        b.Value.MVft.lpft = times2;
        ok(!pLPropCompareProp(&a, &b), "equal PT_MV_SYSTIME values ordered %ld.\n", pLPropCompareProp(&a, &b));
        ok(pFPropCompareProp(&a, RELOP_EQ, &b), "equal PT_MV_SYSTIME values not RELOP_EQ.\n");
        times2[1].dwHighDateTime = 5;
        ok(pLPropCompareProp(&a, &b) < 0, "PT_MV_SYSTIME: second element ignored.\n");
        ok(pLPropCompareProp(&b, &a) > 0, "PT_MV_SYSTIME: second element ignored.\n");

        a.ulPropTag = b.ulPropTag = PROP_TAG(PT_MV_DOUBLE, 0x6100);
        a.Value.MVdbl.cValues = 1;
        a.Value.MVdbl.lpdbl = doubles1;
        b.Value.MVdbl.cValues = 2;
        b.Value.MVdbl.lpdbl = doubles2;
        ok(pLPropCompareProp(&a, &b) < 0, "a PT_MV_DOUBLE prefix does not sort first.\n");
        b.Value.MVdbl.cValues = 1;
        ok(!pLPropCompareProp(&a, &b), "equal PT_MV_DOUBLE values ordered %ld.\n", pLPropCompareProp(&a, &b));
    }

    /* only strings and binaries have containment */
    a.ulPropTag = b.ulPropTag = PR_TEST_NUM;
    a.Value.l = b.Value.l = 3;
    ok(!pFPropContainsProp(&a, &b, FL_FULLSTRING), "PT_LONG containment\n");
    b.ulPropTag = PR_TEST_NAME;
    ok(!pFPropCompareProp(&a, RELOP_EQ, &b), "different types compared equal\n");
}

START_TEST(table)
{
    HMODULE mapix = LoadLibraryA("winemapix.dll");

    ok(mapix != NULL, "winemapix.dll not loaded.\n");
    if (!mapix) return;
#define X(f) p##f = (void *)GetProcAddress(mapix, #f); ok(p##f != NULL, #f " not exported.\n")
    X(CreateTable);
    X(LPropCompareProp);
    X(FPropCompareProp);
    X(FPropContainsProp);
#undef X
    if (!pCreateTable || !pLPropCompareProp || !pFPropCompareProp || !pFPropContainsProp) return;

    test_propval();
    test_CreateTable();
    test_rows();
    test_positioning();
    test_sort();
    test_restrict();
    test_notifications();
    test_misc();
    test_large();
}
