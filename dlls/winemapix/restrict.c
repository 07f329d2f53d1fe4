/*
 * Restriction evaluation over rows of property values
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

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* SBitMaskRestriction.relBMR values, which Wine's mapidefs.h lacks */
#ifndef BMR_EQZ
#define BMR_EQZ 0
#define BMR_NEZ 1
#endif

/* Checks a restriction tree before it is used; RES_SUBRESTRICTION only
 * means something for objects with subobjects (messages' recipients and
 * attachments), so plain tables refuse it. */
HRESULT restriction_check(const SRestriction *res, BOOL allow_sub)
{
    HRESULT hr;
    ULONG i;

    if (!res) return MAPI_E_INVALID_PARAMETER;

    switch (res->rt)
    {
    case RES_AND:
    case RES_OR:
        if (res->res.resAnd.cRes && !res->res.resAnd.lpRes) return MAPI_E_INVALID_PARAMETER;
        for (i = 0; i < res->res.resAnd.cRes; i++)
            if (FAILED(hr = restriction_check(&res->res.resAnd.lpRes[i], allow_sub))) return hr;
        return S_OK;
    case RES_NOT:
        return restriction_check(res->res.resNot.lpRes, allow_sub);
    case RES_CONTENT:
        if (!res->res.resContent.lpProp) return MAPI_E_INVALID_PARAMETER;
        switch (PROP_TYPE(res->res.resContent.lpProp->ulPropTag))
        {
        case PT_STRING8: case PT_UNICODE: case PT_BINARY: return S_OK;
        default: return MAPI_E_TOO_COMPLEX;
        }
    case RES_PROPERTY:
        if (!res->res.resProperty.lpProp) return MAPI_E_INVALID_PARAMETER;
        if (res->res.resProperty.relop > RELOP_NE) return MAPI_E_TOO_COMPLEX;
        return S_OK;
    case RES_COMPAREPROPS:
        if (res->res.resCompareProps.relop > RELOP_NE) return MAPI_E_TOO_COMPLEX;
        return S_OK;
    case RES_BITMASK:
        if (res->res.resBitMask.relBMR != BMR_EQZ && res->res.resBitMask.relBMR != BMR_NEZ)
            return MAPI_E_INVALID_PARAMETER;
        return S_OK;
    case RES_SIZE:
        if (res->res.resSize.relop > RELOP_NE) return MAPI_E_TOO_COMPLEX;
        return S_OK;
    case RES_EXIST:
        return S_OK;
    case RES_SUBRESTRICTION:
        if (!allow_sub) return MAPI_E_TOO_COMPLEX;
        return restriction_check(res->res.resSub.lpRes, allow_sub);
    case RES_COMMENT:
        if (res->res.resComment.lpRes) return restriction_check(res->res.resComment.lpRes, allow_sub);
        return S_OK;
    default:
        WARN("unknown restriction type %lu.\n", res->rt);
        return MAPI_E_INVALID_PARAMETER;
    }
}

static const SPropValue *find_prop(const SPropValue *props, ULONG count, ULONG tag)
{
    ULONG i;

    for (i = 0; i < count; i++)
    {
        if (PROP_ID(props[i].ulPropTag) != PROP_ID(tag)) continue;
        if (PROP_TYPE(props[i].ulPropTag) == PT_ERROR) return NULL;
        if (PROP_TYPE(tag) == PT_UNSPECIFIED || PROP_TYPE(tag) == PROP_TYPE(props[i].ulPropTag)
                || (PROP_TYPE(tag) & ~MV_FLAG) == (PROP_TYPE(props[i].ulPropTag) & ~MV_FLAG))
            return &props[i];
    }
    return NULL;
}

/* Extracts element idx of a multi-valued property as a single value. */
static BOOL mv_element(const SPropValue *mv, ULONG idx, SPropValue *out)
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

static BOOL match_property(const SPropValue *row_prop, ULONG relop, const SPropValue *value)
{
    SPropValue elem;
    ULONG i;

    /* a multi-valued column against a single value: any element may match */
    if ((PROP_TYPE(row_prop->ulPropTag) & MV_FLAG) && !(PROP_TYPE(value->ulPropTag) & MV_FLAG))
    {
        for (i = 0; mv_element(row_prop, i, &elem); i++)
            if (propval_relop(&elem, relop, value)) return TRUE;
        return FALSE;
    }
    return propval_relop(row_prop, relop, value);
}

static BOOL match_content(const SPropValue *row_prop, const SPropValue *value, ULONG fuzzy)
{
    SPropValue elem;
    ULONG i;

    if ((PROP_TYPE(row_prop->ulPropTag) & MV_FLAG) && !(PROP_TYPE(value->ulPropTag) & MV_FLAG))
    {
        for (i = 0; mv_element(row_prop, i, &elem); i++)
            if (propval_contains(&elem, value, fuzzy, TRUE)) return TRUE;
        return FALSE;
    }
    return propval_contains(row_prop, value, fuzzy, TRUE);
}

/* The size RES_SIZE compares: bytes of the value itself. */
static ULONG prop_value_size(const SPropValue *prop)
{
    ULONG i, size = 0;

    switch (PROP_TYPE(prop->ulPropTag))
    {
    case PT_I2: return sizeof(short);
    case PT_LONG: case PT_ERROR: return sizeof(LONG);
    case PT_BOOLEAN: return sizeof(unsigned short);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE: case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY: case PT_I8: case PT_SYSTIME: return 8;
    case PT_CLSID: return sizeof(GUID);
    case PT_STRING8: return prop->Value.lpszA ? strlen(prop->Value.lpszA) + 1 : 0;
    case PT_UNICODE: return prop->Value.lpszW ? (wcslen(prop->Value.lpszW) + 1) * sizeof(WCHAR) : 0;
    case PT_BINARY: return prop->Value.bin.cb;
    case PT_MV_STRING8:
        for (i = 0; i < prop->Value.MVszA.cValues; i++)
            size += prop->Value.MVszA.lppszA[i] ? strlen(prop->Value.MVszA.lppszA[i]) + 1 : 0;
        return size;
    case PT_MV_UNICODE:
        for (i = 0; i < prop->Value.MVszW.cValues; i++)
            size += prop->Value.MVszW.lppszW[i] ? (wcslen(prop->Value.MVszW.lppszW[i]) + 1) * sizeof(WCHAR) : 0;
        return size;
    case PT_MV_BINARY:
        for (i = 0; i < prop->Value.MVbin.cValues; i++) size += prop->Value.MVbin.lpbin[i].cb;
        return size;
    case PT_MV_LONG: return prop->Value.MVl.cValues * sizeof(LONG);
    case PT_MV_I2: return prop->Value.MVi.cValues * sizeof(short);
    case PT_MV_DOUBLE: case PT_MV_APPTIME: return prop->Value.MVdbl.cValues * sizeof(double);
    case PT_MV_CURRENCY: case PT_MV_I8: case PT_MV_SYSTIME: return prop->Value.MVli.cValues * 8;
    case PT_MV_CLSID: return prop->Value.MVguid.cValues * sizeof(GUID);
    default: return 0;
    }
}

static BOOL relop_ulong(ULONG a, ULONG relop, ULONG b)
{
    switch (relop)
    {
    case RELOP_LT: return a < b;
    case RELOP_LE: return a <= b;
    case RELOP_GT: return a > b;
    case RELOP_GE: return a >= b;
    case RELOP_EQ: return a == b;
    case RELOP_NE: return a != b;
    default: return FALSE;
    }
}

/* Evaluates a restriction (already validated by restriction_check) against
 * one row.  A property the row lacks makes any comparison on it false. */
BOOL restriction_match(const SRestriction *res, const SPropValue *props, ULONG count)
{
    const SPropValue *p, *q;
    ULONG i;

    switch (res->rt)
    {
    case RES_AND:
        for (i = 0; i < res->res.resAnd.cRes; i++)
            if (!restriction_match(&res->res.resAnd.lpRes[i], props, count)) return FALSE;
        return TRUE;
    case RES_OR:
        for (i = 0; i < res->res.resOr.cRes; i++)
            if (restriction_match(&res->res.resOr.lpRes[i], props, count)) return TRUE;
        return FALSE;
    case RES_NOT:
        return !restriction_match(res->res.resNot.lpRes, props, count);
    case RES_CONTENT:
        if (!(p = find_prop(props, count, res->res.resContent.ulPropTag))) return FALSE;
        return match_content(p, res->res.resContent.lpProp, res->res.resContent.ulFuzzyLevel);
    case RES_PROPERTY:
        if (!(p = find_prop(props, count, res->res.resProperty.ulPropTag))) return FALSE;
        return match_property(p, res->res.resProperty.relop, res->res.resProperty.lpProp);
    case RES_COMPAREPROPS:
        if (!(p = find_prop(props, count, res->res.resCompareProps.ulPropTag1))) return FALSE;
        if (!(q = find_prop(props, count, res->res.resCompareProps.ulPropTag2))) return FALSE;
        return propval_relop(p, res->res.resCompareProps.relop, q);
    case RES_BITMASK:
        if (!(p = find_prop(props, count, res->res.resBitMask.ulPropTag))) return FALSE;
        if (PROP_TYPE(p->ulPropTag) != PT_LONG) return FALSE;
        if (res->res.resBitMask.relBMR == BMR_EQZ)
            return !(p->Value.ul & res->res.resBitMask.ulMask);
        return !!(p->Value.ul & res->res.resBitMask.ulMask);
    case RES_SIZE:
        if (!(p = find_prop(props, count, res->res.resSize.ulPropTag))) return FALSE;
        return relop_ulong(prop_value_size(p), res->res.resSize.relop, res->res.resSize.cb);
    case RES_EXIST:
        return find_prop(props, count, res->res.resExist.ulPropTag) != NULL;
    case RES_COMMENT:
        /* the comment's properties are annotations only */
        if (!res->res.resComment.lpRes) return TRUE;
        return restriction_match(res->res.resComment.lpRes, props, count);
    default:
        return FALSE;
    }
}
