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

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

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

static BOOL match_property(const SPropValue *row_prop, ULONG relop, const SPropValue *value)
{
    SPropValue elem;
    ULONG i;

    /* a multi-valued column against a single value: any element may match */
    if ((PROP_TYPE(row_prop->ulPropTag) & MV_FLAG) && !(PROP_TYPE(value->ulPropTag) & MV_FLAG))
    {
        for (i = 0; propval_mv_element(row_prop, i, &elem); i++)
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
        for (i = 0; propval_mv_element(row_prop, i, &elem); i++)
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

/* A deep copy of a restriction for a table view to keep: its pieces are
 * malloc'd one by one and chained behind the copy, so that one call frees
 * them all whatever shape the restriction has. */
struct restriction_piece
{
    struct restriction_piece *next;
};

struct restriction_copy
{
    struct restriction_piece *pieces;
    SRestriction res;
};

static void *copy_alloc(struct restriction_copy *copy, size_t size)
{
    struct restriction_piece *piece;

    if (!(piece = malloc(sizeof(*piece) + ((size + 7) & ~7)))) return NULL;
    piece->next = copy->pieces;
    copy->pieces = piece;
    return piece + 1;
}

static SPropValue *copy_props(struct restriction_copy *copy, const SPropValue *props, ULONG count)
{
    SPropValue *ret;

    if (!props) return NULL;
    if (!(ret = copy_alloc(copy, max(props_block_size(props, count), 1)))) return NULL;
    props_block_copy(ret, props, count);
    return ret;
}

static BOOL copy_node(struct restriction_copy *copy, SRestriction *dst, const SRestriction *src)
{
    ULONG i;

    *dst = *src;
    switch (src->rt)
    {
    case RES_AND:
    case RES_OR:
        if (!src->res.resAnd.cRes) return TRUE;
        if (!(dst->res.resAnd.lpRes = copy_alloc(copy, src->res.resAnd.cRes * sizeof(SRestriction)))) return FALSE;
        for (i = 0; i < src->res.resAnd.cRes; i++)
            if (!copy_node(copy, &dst->res.resAnd.lpRes[i], &src->res.resAnd.lpRes[i])) return FALSE;
        return TRUE;
    case RES_NOT:
        if (!(dst->res.resNot.lpRes = copy_alloc(copy, sizeof(SRestriction)))) return FALSE;
        return copy_node(copy, dst->res.resNot.lpRes, src->res.resNot.lpRes);
    case RES_CONTENT:
        return !!(dst->res.resContent.lpProp = copy_props(copy, src->res.resContent.lpProp, 1));
    case RES_PROPERTY:
        return !!(dst->res.resProperty.lpProp = copy_props(copy, src->res.resProperty.lpProp, 1));
    case RES_COMMENT:
        if (src->res.resComment.cValues && src->res.resComment.lpProp
                && !(dst->res.resComment.lpProp = copy_props(copy, src->res.resComment.lpProp,
                                                             src->res.resComment.cValues)))
            return FALSE;
        if (!src->res.resComment.lpRes) return TRUE;
        if (!(dst->res.resComment.lpRes = copy_alloc(copy, sizeof(SRestriction)))) return FALSE;
        return copy_node(copy, dst->res.resComment.lpRes, src->res.resComment.lpRes);
    default:
        return TRUE;
    }
}

/* A copy of a restriction restriction_check() accepted; NULL when out of memory. */
SRestriction *restriction_copy(const SRestriction *res)
{
    struct restriction_copy *copy;

    if (!(copy = malloc(sizeof(*copy)))) return NULL;
    copy->pieces = NULL;
    if (!copy_node(copy, &copy->res, res))
    {
        restriction_free(&copy->res);
        return NULL;
    }
    return &copy->res;
}

void restriction_free(SRestriction *res)
{
    struct restriction_copy *copy;
    struct restriction_piece *piece, *next;

    if (!res) return;
    copy = CONTAINING_RECORD(res, struct restriction_copy, res);
    for (piece = copy->pieces; piece; piece = next)
    {
        next = piece->next;
        free(piece);
    }
    free(copy);
}
