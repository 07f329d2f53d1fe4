/*
 * Tests for CreateIProp and IPropData
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

#include "wine/test.h"

#define MAPI_MOVE      0x00000001
#define MAPI_NOREPLACE 0x00000002

static SCODE (WINAPI *pCreateIProp)(LPCIID, ALLOCATEBUFFER *, ALLOCATEMORE *, FREEBUFFER *, void *, IPropData **);

/* chained allocator counting live blocks, as in table.c */
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
    b->magic = 0x1b0b;
    InterlockedIncrement(&live_blocks);
    *out = b + 1;
    return S_OK;
}

static SCODE WINAPI test_more(ULONG size, void *parent, void **out)
{
    struct test_block *p = (struct test_block *)parent - 1, *b;

    ok(p->magic == 0x1b0b, "AllocateMore on a block that is not a parent.\n");
    if (!(b = calloc(1, sizeof(*b) + size))) return MAPI_E_NOT_ENOUGH_MEMORY;
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
    ok(b->magic == 0x1b0b, "freeing a block that is not live.\n");
    b->magic = 0;
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

#define PR_T_LONG PROP_TAG(PT_LONG, 0x6600)
#define PR_T_STR  PROP_TAG(PT_STRING8, 0x6601)
#define PR_T_BIN  PROP_TAG(PT_BINARY, 0x6602)
#define PR_T_OBJ  PROP_TAG(PT_OBJECT, 0x6603)
#define PR_T_MISS PROP_TAG(PT_LONG, 0x6604)

static IPropData *create_prop(void)
{
    IPropData *obj = NULL;
    SCODE sc;

    sc = pCreateIProp(&IID_IMAPIPropData, test_alloc, test_more, test_free, NULL, &obj);
    ok(sc == S_OK && obj, "CreateIProp returned %#lx.\n", sc);
    return obj;
}

static void set_three(IPropData *obj)
{
    static BYTE bin[] = { 9, 8, 7 };
    SPropValue vals[3];
    SPropProblemArray *probs = (void *)0xdeadbeef;
    HRESULT hr;

    vals[0].ulPropTag = PR_T_LONG;
    vals[0].Value.l = 42;
    vals[1].ulPropTag = PR_T_STR;
    vals[1].Value.lpszA = (char *)"text";
    vals[2].ulPropTag = PR_T_BIN;
    vals[2].Value.bin.cb = sizeof(bin);
    vals[2].Value.bin.lpb = bin;
    hr = IPropData_SetProps(obj, 3, vals, &probs);
    ok(hr == S_OK && !probs, "SetProps returned %#lx, %p.\n", hr, probs);
}

static void test_CreateIProp(void)
{
    IPropData *obj = (void *)0xdeadbeef;
    IUnknown *unk;
    SCODE sc;

    sc = pCreateIProp(&IID_IMAPIPropData, NULL, test_more, test_free, NULL, &obj);
    ok(sc == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", sc);
    sc = pCreateIProp(&IID_IMAPITable, test_alloc, test_more, test_free, NULL, &obj);
    ok(sc == MAPI_E_INTERFACE_NOT_SUPPORTED, "got %#lx.\n", sc);

    obj = create_prop();
    if (!obj) return;
    sc = IPropData_QueryInterface(obj, &IID_IMAPIProp, (void **)&unk);
    ok(sc == S_OK && unk == (IUnknown *)obj, "got %#lx.\n", sc);
    IUnknown_Release(unk);
    sc = IPropData_QueryInterface(obj, &IID_IMAPITable, (void **)&unk);
    ok(sc == E_NOINTERFACE && !unk, "got %#lx.\n", sc);
    ok(!IPropData_Release(obj), "object still referenced.\n");
}

static void test_GetProps(void)
{
    SizedSPropTagArray(3, tags) = { 3, { PR_T_STR, PR_T_MISS, PROP_TAG(PT_UNSPECIFIED, 0x6600) } };
    SPropTagArray *list;
    IPropData *obj = create_prop();
    SPropValue *vals;
    ULONG count;
    HRESULT hr;

    if (!obj) return;
    hr = IPropData_GetProps(obj, NULL, 0, &count, &vals);
    ok(hr == S_OK && !count, "got %#lx, %lu.\n", hr, count);
    test_free(vals);

    set_three(obj);
    hr = IPropData_GetProps(obj, NULL, 0, &count, &vals);
    ok(hr == S_OK && count == 3, "got %#lx, %lu.\n", hr, count);
    ok(vals[0].ulPropTag == PR_T_LONG && vals[0].Value.l == 42, "got %#lx.\n", vals[0].ulPropTag);
    ok(vals[2].Value.bin.cb == 3 && vals[2].Value.bin.lpb[2] == 7, "wrong binary.\n");
    test_free(vals);

    hr = IPropData_GetProps(obj, (SPropTagArray *)&tags, 0, &count, &vals);
    ok(hr == MAPI_W_ERRORS_RETURNED && count == 3, "got %#lx, %lu.\n", hr, count);
    ok(vals[0].ulPropTag == PR_T_STR && !strcmp(vals[0].Value.lpszA, "text"), "got %#lx.\n", vals[0].ulPropTag);
    ok(vals[1].ulPropTag == PROP_TAG(PT_ERROR, 0x6604) && vals[1].Value.err == MAPI_E_NOT_FOUND,
       "got %#lx, %#lx.\n", vals[1].ulPropTag, vals[1].Value.err);
    ok(vals[2].ulPropTag == PR_T_LONG && vals[2].Value.l == 42, "PT_UNSPECIFIED got %#lx.\n", vals[2].ulPropTag);
    test_free(vals);

    hr = IPropData_GetPropList(obj, 0, &list);
    ok(hr == S_OK && list->cValues == 3 && list->aulPropTag[1] == PR_T_STR, "got %#lx.\n", hr);
    test_free(list);

    IPropData_Release(obj);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_access(void)
{
    SizedSPropTagArray(1, one) = { 1, { PR_T_LONG } };
    SizedSPropTagArray(2, two) = { 2, { PR_T_LONG, PR_T_MISS } };
    SPropProblemArray *probs;
    IPropData *obj = create_prop();
    SPropTagArray *tags;
    SPropValue val;
    ULONG access[2], *got;
    HRESULT hr;
    ULONG i;

    if (!obj) return;
    set_three(obj);

    hr = IPropData_HrGetPropAccess(obj, &tags, &got);
    ok(hr == S_OK && tags->cValues == 3, "got %#lx.\n", hr);
    for (i = 0; i < tags->cValues; i++)
        ok(got[i] == (IPROP_READWRITE | IPROP_DIRTY), "prop %lu access %#lx.\n", i, got[i]);
    test_free(tags);
    test_free(got);

    access[0] = IPROP_READONLY | IPROP_READWRITE;
    hr = IPropData_HrSetPropAccess(obj, (SPropTagArray *)&one, access);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    access[0] = IPROP_READONLY | IPROP_CLEAN | IPROP_DIRTY;
    hr = IPropData_HrSetPropAccess(obj, (SPropTagArray *)&one, access);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    access[0] = IPROP_READONLY | IPROP_CLEAN;
    hr = IPropData_HrSetPropAccess(obj, (SPropTagArray *)&one, access);
    ok(hr == S_OK, "got %#lx.\n", hr);

    hr = IPropData_HrGetPropAccess(obj, &tags, &got);
    ok(hr == S_OK && tags->aulPropTag[0] == PR_T_LONG && got[0] == (IPROP_READONLY | IPROP_CLEAN),
       "got %#lx, %#lx.\n", hr, got[0]);
    test_free(tags);
    test_free(got);

    /* a read-only property refuses changes with a problem entry */
    val.ulPropTag = PR_T_LONG;
    val.Value.l = 1;
    hr = IPropData_SetProps(obj, 1, &val, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 1, "got %#lx, %p.\n", hr, probs);
    if (probs)
    {
        ok(probs->aProblem[0].scode == MAPI_E_NO_ACCESS && probs->aProblem[0].ulIndex == 0,
           "got %#lx.\n", probs->aProblem[0].scode);
        test_free(probs);
    }
    hr = IPropData_DeleteProps(obj, (SPropTagArray *)&two, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 2, "got %#lx, %p.\n", hr, probs);
    if (probs)
    {
        ok(probs->aProblem[0].scode == MAPI_E_NO_ACCESS, "got %#lx.\n", probs->aProblem[0].scode);
        ok(probs->aProblem[1].scode == MAPI_E_NOT_FOUND && probs->aProblem[1].ulIndex == 1,
           "got %#lx.\n", probs->aProblem[1].scode);
        test_free(probs);
    }

    /* a read-only object refuses everything */
    hr = IPropData_HrSetObjAccess(obj, IPROP_READONLY | IPROP_READWRITE);
    ok(hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr);
    hr = IPropData_HrSetObjAccess(obj, IPROP_READONLY);
    ok(hr == S_OK, "got %#lx.\n", hr);
    val.ulPropTag = PR_T_MISS;
    hr = IPropData_SetProps(obj, 1, &val, NULL);
    ok(hr == MAPI_E_NO_ACCESS, "SetProps returned %#lx.\n", hr);
    hr = IPropData_DeleteProps(obj, (SPropTagArray *)&one, NULL);
    ok(hr == MAPI_E_NO_ACCESS, "DeleteProps returned %#lx.\n", hr);
    access[0] = IPROP_READWRITE;
    hr = IPropData_HrSetPropAccess(obj, (SPropTagArray *)&one, access);
    ok(hr == MAPI_E_NO_ACCESS, "HrSetPropAccess returned %#lx.\n", hr);

    hr = IPropData_HrSetObjAccess(obj, IPROP_READWRITE);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = IPropData_HrSetPropAccess(obj, (SPropTagArray *)&one, access);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = IPropData_DeleteProps(obj, (SPropTagArray *)&one, &probs);
    ok(hr == S_OK && !probs, "got %#lx, %p.\n", hr, probs);

    {
        SizedSPropTagArray(1, objs) = { 1, { PR_T_OBJ } };
        SPropValue *vals;
        ULONG count;

        hr = IPropData_HrAddObjProps(obj, (SPropTagArray *)&one, NULL);
        ok(hr == MAPI_E_INVALID_TYPE, "got %#lx.\n", hr);
        hr = IPropData_HrAddObjProps(obj, (SPropTagArray *)&objs, NULL);
        ok(hr == S_OK, "got %#lx.\n", hr);
        hr = IPropData_GetProps(obj, (SPropTagArray *)&objs, 0, &count, &vals);
        ok(hr == S_OK && vals[0].ulPropTag == PR_T_OBJ, "got %#lx.\n", hr);
        test_free(vals);
    }

    IPropData_Release(obj);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

static void test_copy(void)
{
    SizedSPropTagArray(1, str) = { 1, { PR_T_STR } };
    IPropData *src = create_prop(), *dst = create_prop();
    SPropValue val, *vals;
    ULONG count;
    HRESULT hr;

    if (!src || !dst) return;
    set_three(src);
    val.ulPropTag = PR_T_LONG;
    val.Value.l = 7;
    IPropData_SetProps(dst, 1, &val, NULL);

    hr = IPropData_CopyTo(src, 0, NULL, (SPropTagArray *)&str, 0, NULL, &IID_IMAPIProp, dst, MAPI_NOREPLACE, NULL);
    ok(hr == S_OK, "CopyTo returned %#lx.\n", hr);
    hr = IPropData_GetProps(dst, NULL, 0, &count, &vals);
    ok(hr == S_OK && count == 2, "got %#lx, %lu.\n", hr, count);
    /* MAPI_NOREPLACE kept the destination's value, the exclusion kept PR_T_STR out */
    ok(vals[0].ulPropTag == PR_T_LONG && vals[0].Value.l == 7, "got %ld.\n", vals[0].Value.l);
    ok(vals[1].ulPropTag == PR_T_BIN, "got %#lx.\n", vals[1].ulPropTag);
    test_free(vals);

    hr = IPropData_CopyProps(src, (SPropTagArray *)&str, 0, NULL, &IID_IMAPIProp, dst, MAPI_MOVE, NULL);
    ok(hr == S_OK, "CopyProps returned %#lx.\n", hr);
    hr = IPropData_GetProps(dst, (SPropTagArray *)&str, 0, &count, &vals);
    ok(hr == S_OK && !strcmp(vals[0].Value.lpszA, "text"), "got %#lx.\n", hr);
    test_free(vals);
    hr = IPropData_GetProps(src, (SPropTagArray *)&str, 0, &count, &vals);
    ok(hr == MAPI_W_ERRORS_RETURNED, "MAPI_MOVE left the source property: %#lx.\n", hr);
    test_free(vals);

    hr = IPropData_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMAPITable, dst, 0, NULL);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "got %#lx.\n", hr);

    hr = IPropData_GetNamesFromIDs(src, NULL, NULL, 0, &count, NULL);
    ok(hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr);
    hr = IPropData_GetIDsFromNames(src, 0, NULL, 0, NULL);
    ok(hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr);
    hr = IPropData_SaveChanges(src, 0);
    ok(hr == S_OK, "got %#lx.\n", hr);

    IPropData_Release(src);
    IPropData_Release(dst);
    ok(!live_blocks, "%ld blocks leaked.\n", live_blocks);
}

START_TEST(iprop)
{
    HMODULE mapix = LoadLibraryA("winemapix.dll");

    ok(mapix != NULL, "winemapix.dll not loaded.\n");
    if (!mapix) return;
    pCreateIProp = (void *)GetProcAddress(mapix, "CreateIProp");
    ok(pCreateIProp != NULL, "CreateIProp not exported.\n");
    if (!pCreateIProp) return;

    test_CreateIProp();
    test_GetProps();
    test_access();
    test_copy();
}
