/*
 * Property value comparison shared by restrictions and sorting
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

#include <string.h>
#include <wchar.h>

#include "winemapix_private.h"
#include "winnls.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

static int sign_of(LONGLONG v)
{
    return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

static int compare_double(double a, double b)
{
    return a < b ? -1 : (a > b ? 1 : 0);
}

static int compare_bytes(const BYTE *a, ULONG cba, const BYTE *b, ULONG cbb)
{
    int ret = memcmp(a, b, min(cba, cbb));

    if (ret) return ret < 0 ? -1 : 1;
    return cba < cbb ? -1 : (cba > cbb ? 1 : 0);
}

static int compare_stringA(const char *a, const char *b)
{
    if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
    return sign_of(lstrcmpA(a, b));
}

static int compare_stringW(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
    return sign_of(lstrcmpW(a, b));
}

/* Extracts element idx of a multi-valued property as a single value. */
BOOL propval_mv_element(const SPropValue *mv, ULONG idx, SPropValue *out)
{
    out->ulPropTag = PROP_TAG((PROP_TYPE(mv->ulPropTag) & ~MV_FLAG), PROP_ID(mv->ulPropTag));
    out->dwAlignPad = 0;
    switch (PROP_TYPE(mv->ulPropTag))
    {
    case PT_MV_I2: if (idx >= mv->Value.MVi.cValues) return FALSE; out->Value.i = mv->Value.MVi.lpi[idx]; return TRUE;
    case PT_MV_LONG: if (idx >= mv->Value.MVl.cValues) return FALSE; out->Value.l = mv->Value.MVl.lpl[idx]; return TRUE;
    case PT_MV_R4: if (idx >= mv->Value.MVflt.cValues) return FALSE; out->Value.flt = mv->Value.MVflt.lpflt[idx]; return TRUE;
    case PT_MV_DOUBLE: if (idx >= mv->Value.MVdbl.cValues) return FALSE; out->Value.dbl = mv->Value.MVdbl.lpdbl[idx]; return TRUE;
    case PT_MV_CURRENCY: if (idx >= mv->Value.MVcur.cValues) return FALSE; out->Value.cur = mv->Value.MVcur.lpcur[idx]; return TRUE;
    case PT_MV_APPTIME: if (idx >= mv->Value.MVat.cValues) return FALSE; out->Value.at = mv->Value.MVat.lpat[idx]; return TRUE;
    case PT_MV_SYSTIME: if (idx >= mv->Value.MVft.cValues) return FALSE; out->Value.ft = mv->Value.MVft.lpft[idx]; return TRUE;
    case PT_MV_I8: if (idx >= mv->Value.MVli.cValues) return FALSE; out->Value.li = mv->Value.MVli.lpli[idx]; return TRUE;
    case PT_MV_STRING8: if (idx >= mv->Value.MVszA.cValues) return FALSE; out->Value.lpszA = mv->Value.MVszA.lppszA[idx]; return TRUE;
    case PT_MV_UNICODE: if (idx >= mv->Value.MVszW.cValues) return FALSE; out->Value.lpszW = mv->Value.MVszW.lppszW[idx]; return TRUE;
    case PT_MV_BINARY: if (idx >= mv->Value.MVbin.cValues) return FALSE; out->Value.bin = mv->Value.MVbin.lpbin[idx]; return TRUE;
    case PT_MV_CLSID: if (idx >= mv->Value.MVguid.cValues) return FALSE; out->Value.lpguid = &mv->Value.MVguid.lpguid[idx]; return TRUE;
    default: return FALSE;
    }
}

/* Multi-valued values order element by element, then by count */
static int compare_mv(const SPropValue *a, const SPropValue *b)
{
    SPropValue ea, eb;
    BOOL more_a, more_b;
    ULONG i;
    int ret;

    for (i = 0;; i++)
    {
        more_a = propval_mv_element(a, i, &ea);
        more_b = propval_mv_element(b, i, &eb);
        if (!more_a || !more_b) return more_a - more_b;
        if ((ret = propval_compare(&ea, &eb))) return ret;
    }
}

/* Orders two values of the same property type; single-valued types get
 * their natural order, multi-valued ones that of their elements, the rest
 * a consistent byte order. */
int propval_compare(const SPropValue *a, const SPropValue *b)
{
    switch (PROP_TYPE(a->ulPropTag))
    {
    case PT_I2: return sign_of(a->Value.i - b->Value.i);
    case PT_LONG: return sign_of((LONGLONG)a->Value.l - b->Value.l);
    case PT_ERROR: return sign_of((LONGLONG)a->Value.err - b->Value.err);
    case PT_BOOLEAN: return sign_of((!!a->Value.b) - (!!b->Value.b));
    case PT_R4: return compare_double(a->Value.flt, b->Value.flt);
    case PT_DOUBLE: return compare_double(a->Value.dbl, b->Value.dbl);
    case PT_APPTIME: return compare_double(a->Value.at, b->Value.at);
    case PT_CURRENCY: return sign_of(a->Value.cur.int64 < b->Value.cur.int64 ? -1 : a->Value.cur.int64 > b->Value.cur.int64);
    case PT_I8: return a->Value.li.QuadPart < b->Value.li.QuadPart ? -1 : a->Value.li.QuadPart > b->Value.li.QuadPart;
    case PT_SYSTIME: return sign_of(CompareFileTime(&a->Value.ft, &b->Value.ft));
    case PT_STRING8: return compare_stringA(a->Value.lpszA, b->Value.lpszA);
    case PT_UNICODE: return compare_stringW(a->Value.lpszW, b->Value.lpszW);
    case PT_CLSID:
        if (!a->Value.lpguid || !b->Value.lpguid) return (a->Value.lpguid ? 1 : 0) - (b->Value.lpguid ? 1 : 0);
        return compare_bytes((const BYTE *)a->Value.lpguid, sizeof(GUID), (const BYTE *)b->Value.lpguid, sizeof(GUID));
    case PT_BINARY:
        return compare_bytes(a->Value.bin.lpb, a->Value.bin.cb, b->Value.bin.lpb, b->Value.bin.cb);
    case PT_MV_I2:
    case PT_MV_LONG:
    case PT_MV_R4:
    case PT_MV_DOUBLE:
    case PT_MV_CURRENCY:
    case PT_MV_APPTIME:
    case PT_MV_SYSTIME:
    case PT_MV_I8:
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
    case PT_MV_BINARY:
    case PT_MV_CLSID:
        return compare_mv(a, b);
    case PT_NULL:
    case PT_OBJECT:
        return 0;
    default:
        /* no intrinsic order: compare the raw union, which is at least consistent */
        return compare_bytes((const BYTE *)&a->Value, sizeof(a->Value), (const BYTE *)&b->Value, sizeof(b->Value));
    }
}

/* Applies a RELOP_* operator to two values; RELOP_RE is not supported. */
BOOL propval_relop(const SPropValue *a, ULONG relop, const SPropValue *b)
{
    int cmp;

    if (PROP_TYPE(a->ulPropTag) != PROP_TYPE(b->ulPropTag))
        return FALSE;

    cmp = propval_compare(a, b);
    switch (relop)
    {
    case RELOP_LT: return cmp < 0;
    case RELOP_LE: return cmp <= 0;
    case RELOP_GT: return cmp > 0;
    case RELOP_GE: return cmp >= 0;
    case RELOP_EQ: return cmp == 0;
    case RELOP_NE: return cmp != 0;
    default:
        FIXME("relop %lu not supported.\n", relop);
        return FALSE;
    }
}

static BOOL match_units(const void *hay, ULONG hay_len, const void *needle, ULONG needle_len,
                        ULONG mode, ULONG unit, DWORD cmp_flags)
{
    ULONG i, last;

    if (mode == FL_PREFIX || mode == FL_FULLSTRING)
    {
        if (mode == FL_FULLSTRING && hay_len != needle_len) return FALSE;
        if (hay_len < needle_len) return FALSE;
        hay_len = needle_len;
        last = 0;
    }
    else
    {
        if (hay_len < needle_len) return FALSE;
        last = hay_len - needle_len;
    }

    for (i = 0; i <= last; i++)
    {
        const BYTE *p = (const BYTE *)hay + i * unit;

        if (unit == 1 && !cmp_flags)
        {
            if (!memcmp(p, needle, needle_len)) return TRUE;
        }
        else if (unit == 1)
        {
            if (CompareStringA(LOCALE_USER_DEFAULT, cmp_flags, (const char *)p, needle_len,
                               needle, needle_len) == CSTR_EQUAL) return TRUE;
        }
        else if (!cmp_flags)
        {
            if (!memcmp(p, needle, needle_len * sizeof(WCHAR))) return TRUE;
        }
        else
        {
            if (CompareStringW(LOCALE_USER_DEFAULT, cmp_flags, (const WCHAR *)p, needle_len,
                               needle, needle_len) == CSTR_EQUAL) return TRUE;
        }
    }
    return FALSE;
}

/* Content match as SContentRestriction describes it: PT_BINARY, PT_STRING8
 * and, for restrictions, PT_UNICODE; the string flags only affect strings. */
BOOL propval_contains(const SPropValue *dst, const SPropValue *src, ULONG fuzzy, BOOL allow_unicode)
{
    ULONG mode = fuzzy & 0xffff;
    DWORD cmp_flags = 0;

    if (PROP_TYPE(dst->ulPropTag) != PROP_TYPE(src->ulPropTag))
        return FALSE;

    /* an invalid lower word means an exact full-string match */
    if (mode != FL_SUBSTRING && mode != FL_PREFIX) mode = FL_FULLSTRING;
    if (fuzzy & (FL_IGNORECASE | FL_LOOSE)) cmp_flags |= NORM_IGNORECASE;
    if (fuzzy & (FL_IGNORENONSPACE | FL_LOOSE)) cmp_flags |= NORM_IGNORENONSPACE;

    switch (PROP_TYPE(dst->ulPropTag))
    {
    case PT_BINARY:
        return match_units(dst->Value.bin.lpb, dst->Value.bin.cb, src->Value.bin.lpb, src->Value.bin.cb,
                           mode, 1, 0);
    case PT_STRING8:
        if (!dst->Value.lpszA || !src->Value.lpszA) return FALSE;
        return match_units(dst->Value.lpszA, strlen(dst->Value.lpszA), src->Value.lpszA,
                           strlen(src->Value.lpszA), mode, 1, cmp_flags);
    case PT_UNICODE:
        if (!allow_unicode || !dst->Value.lpszW || !src->Value.lpszW) return FALSE;
        return match_units(dst->Value.lpszW, wcslen(dst->Value.lpszW), src->Value.lpszW,
                           wcslen(src->Value.lpszW), mode, sizeof(WCHAR), cmp_flags);
    default:
        return FALSE;
    }
}

/*************************************************************************
 * FPropContainsProp (winemapix.@)
 *
 * Whether a string or binary value contains another, per ulFuzzyLevel.
 */
BOOL WINAPI FPropContainsProp(LPSPropValue dst, LPSPropValue src, ULONG fuzzy)
{
    TRACE("%p, %p, %#lx.\n", dst, src, fuzzy);

    if (!dst || !src) return FALSE;
    return propval_contains(dst, src, fuzzy, FALSE);
}

/*************************************************************************
 * FPropCompareProp (winemapix.@)
 *
 * Compares two values with a RELOP_* operator.
 */
BOOL WINAPI FPropCompareProp(LPSPropValue a, ULONG relop, LPSPropValue b)
{
    TRACE("%p, %lu, %p.\n", a, relop, b);

    if (!a || !b) return FALSE;
    return propval_relop(a, relop, b);
}

/*************************************************************************
 * LPropCompareProp (winemapix.@)
 *
 * Orders two values of the same type: <0, 0 or >0.
 */
LONG WINAPI LPropCompareProp(LPSPropValue a, LPSPropValue b)
{
    TRACE("%p, %p.\n", a, b);

    if (!a || !b) return 0;
    if (PROP_TYPE(a->ulPropTag) != PROP_TYPE(b->ulPropTag))
        return (LONG)PROP_TYPE(a->ulPropTag) - (LONG)PROP_TYPE(b->ulPropTag);
    return propval_compare(a, b);
}

#define ALIGN8(x) (((x) + 7) & ~(ULONG_PTR)7)

/* Bytes a value needs outside its SPropValue, each piece 8-aligned. */
static ULONG prop_extra_size(const SPropValue *prop)
{
    ULONG i, size = 0;

    switch (PROP_TYPE(prop->ulPropTag))
    {
    case PT_STRING8: return prop->Value.lpszA ? ALIGN8(strlen(prop->Value.lpszA) + 1) : 0;
    case PT_UNICODE: return prop->Value.lpszW ? ALIGN8((wcslen(prop->Value.lpszW) + 1) * sizeof(WCHAR)) : 0;
    case PT_BINARY: return ALIGN8(prop->Value.bin.cb);
    case PT_CLSID: return prop->Value.lpguid ? ALIGN8(sizeof(GUID)) : 0;
    case PT_MV_I2: return ALIGN8(prop->Value.MVi.cValues * sizeof(short));
    case PT_MV_LONG: return ALIGN8(prop->Value.MVl.cValues * sizeof(LONG));
    case PT_MV_R4: return ALIGN8(prop->Value.MVflt.cValues * sizeof(float));
    case PT_MV_DOUBLE: case PT_MV_APPTIME: return ALIGN8(prop->Value.MVdbl.cValues * sizeof(double));
    case PT_MV_CURRENCY: case PT_MV_SYSTIME: case PT_MV_I8: return ALIGN8(prop->Value.MVli.cValues * 8);
    case PT_MV_CLSID: return ALIGN8(prop->Value.MVguid.cValues * sizeof(GUID));
    case PT_MV_STRING8:
        size = ALIGN8(prop->Value.MVszA.cValues * sizeof(char *));
        for (i = 0; i < prop->Value.MVszA.cValues; i++)
            size += ALIGN8(strlen(prop->Value.MVszA.lppszA[i]) + 1);
        return size;
    case PT_MV_UNICODE:
        size = ALIGN8(prop->Value.MVszW.cValues * sizeof(WCHAR *));
        for (i = 0; i < prop->Value.MVszW.cValues; i++)
            size += ALIGN8((wcslen(prop->Value.MVszW.lppszW[i]) + 1) * sizeof(WCHAR));
        return size;
    case PT_MV_BINARY:
        size = ALIGN8(prop->Value.MVbin.cValues * sizeof(SBinary));
        for (i = 0; i < prop->Value.MVbin.cValues; i++)
            size += ALIGN8(prop->Value.MVbin.lpbin[i].cb);
        return size;
    default:
        return 0;
    }
}

/* Size of a single block holding count values and everything they point to. */
ULONG props_block_size(const SPropValue *props, ULONG count)
{
    ULONG i, size = ALIGN8(count * sizeof(SPropValue));

    for (i = 0; i < count; i++) size += prop_extra_size(&props[i]);
    return size;
}

static void *take(BYTE **cursor, const void *src, ULONG size)
{
    void *ret = *cursor;

    if (src) memcpy(ret, src, size);
    *cursor += ALIGN8(size);
    return ret;
}

/* Deep-copies values into a block of props_block_size() bytes. */
void props_block_copy(void *block, const SPropValue *props, ULONG count)
{
    SPropValue *dst = block;
    BYTE *cursor = (BYTE *)block + ALIGN8(count * sizeof(SPropValue));
    ULONG i, j;

    memcpy(dst, props, count * sizeof(SPropValue));
    for (i = 0; i < count; i++)
    {
        const SPropValue *src = &props[i];
        SPropValue *d = &dst[i];

        switch (PROP_TYPE(src->ulPropTag))
        {
        case PT_STRING8:
            if (src->Value.lpszA) d->Value.lpszA = take(&cursor, src->Value.lpszA, strlen(src->Value.lpszA) + 1);
            break;
        case PT_UNICODE:
            if (src->Value.lpszW) d->Value.lpszW = take(&cursor, src->Value.lpszW, (wcslen(src->Value.lpszW) + 1) * sizeof(WCHAR));
            break;
        case PT_BINARY: d->Value.bin.lpb = take(&cursor, src->Value.bin.lpb, src->Value.bin.cb); break;
        case PT_CLSID: if (src->Value.lpguid) d->Value.lpguid = take(&cursor, src->Value.lpguid, sizeof(GUID)); break;
        case PT_MV_I2: d->Value.MVi.lpi = take(&cursor, src->Value.MVi.lpi, src->Value.MVi.cValues * sizeof(short)); break;
        case PT_MV_LONG: d->Value.MVl.lpl = take(&cursor, src->Value.MVl.lpl, src->Value.MVl.cValues * sizeof(LONG)); break;
        case PT_MV_R4: d->Value.MVflt.lpflt = take(&cursor, src->Value.MVflt.lpflt, src->Value.MVflt.cValues * sizeof(float)); break;
        case PT_MV_DOUBLE: case PT_MV_APPTIME:
            d->Value.MVdbl.lpdbl = take(&cursor, src->Value.MVdbl.lpdbl, src->Value.MVdbl.cValues * sizeof(double)); break;
        case PT_MV_CURRENCY: case PT_MV_SYSTIME: case PT_MV_I8:
            d->Value.MVli.lpli = take(&cursor, src->Value.MVli.lpli, src->Value.MVli.cValues * 8); break;
        case PT_MV_CLSID: d->Value.MVguid.lpguid = take(&cursor, src->Value.MVguid.lpguid, src->Value.MVguid.cValues * sizeof(GUID)); break;
        case PT_MV_STRING8:
            d->Value.MVszA.lppszA = take(&cursor, NULL, src->Value.MVszA.cValues * sizeof(char *));
            for (j = 0; j < src->Value.MVszA.cValues; j++)
                d->Value.MVszA.lppszA[j] = take(&cursor, src->Value.MVszA.lppszA[j], strlen(src->Value.MVszA.lppszA[j]) + 1);
            break;
        case PT_MV_UNICODE:
            d->Value.MVszW.lppszW = take(&cursor, NULL, src->Value.MVszW.cValues * sizeof(WCHAR *));
            for (j = 0; j < src->Value.MVszW.cValues; j++)
                d->Value.MVszW.lppszW[j] = take(&cursor, src->Value.MVszW.lppszW[j],
                                                (wcslen(src->Value.MVszW.lppszW[j]) + 1) * sizeof(WCHAR));
            break;
        case PT_MV_BINARY:
            d->Value.MVbin.lpbin = take(&cursor, NULL, src->Value.MVbin.cValues * sizeof(SBinary));
            for (j = 0; j < src->Value.MVbin.cValues; j++)
            {
                d->Value.MVbin.lpbin[j].cb = src->Value.MVbin.lpbin[j].cb;
                d->Value.MVbin.lpbin[j].lpb = take(&cursor, src->Value.MVbin.lpbin[j].lpb, src->Value.MVbin.lpbin[j].cb);
            }
            break;
        }
    }
}
