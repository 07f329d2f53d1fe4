/*
 * libFuzzer target: restriction checking and evaluation (winemapix's
 * restrict.c and propval.c), built natively through winshim/winshim.h.
 * The input decodes into a restriction tree of bounded depth and a row of
 * property values; every buffer is allocated to its exact size so that
 * ASan sees any overread.
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
#include "winemapix_private.h"

#define MAX_DEPTH  6
#define MAX_ALLOCS 4096

struct input
{
    const unsigned char *data;
    size_t size, pos;
    void *allocs[MAX_ALLOCS];
    unsigned int count;
};

static unsigned int next( struct input *in )
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

static ULONG next32( struct input *in )
{
    ULONG v = next( in );
    v |= next( in ) << 8;
    v |= next( in ) << 16;
    return v | (ULONG)next( in ) << 24;
}

static void *alloc( struct input *in, size_t size )
{
    void *ret;

    if (in->count == MAX_ALLOCS || !(ret = malloc( size ? size : 1 ))) return NULL;
    in->allocs[in->count++] = ret;
    return ret;
}

static void *alloc_bytes( struct input *in, size_t size )
{
    unsigned char *ret = alloc( in, size );
    size_t i;

    if (ret) for (i = 0; i < size; i++) ret[i] = next( in );
    return ret;
}

static const ULONG types[] =
{
    PT_UNSPECIFIED, PT_NULL, PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME, PT_ERROR,
    PT_BOOLEAN, PT_OBJECT, PT_I8, PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_BINARY,
    PT_MV_I2, PT_MV_LONG, PT_MV_R4, PT_MV_DOUBLE, PT_MV_CURRENCY, PT_MV_APPTIME, PT_MV_I8,
    PT_MV_STRING8, PT_MV_UNICODE, PT_MV_SYSTIME, PT_MV_CLSID, PT_MV_BINARY, 0x0fff,
};

/* a small ID so that the restriction's tags meet the row's */
static ULONG next_tag( struct input *in )
{
    unsigned int b = next( in );
    return PROP_TAG( types[(b >> 2) % ARRAY_SIZE(types)], 0x6000 + (b & 3) );
}

static char *next_string( struct input *in )
{
    unsigned int len = next( in ) % 24;
    char *ret = alloc_bytes( in, len + 1 );

    if (ret) ret[len] = 0;
    return ret;
}

static WCHAR *next_wstring( struct input *in )
{
    unsigned int len = next( in ) % 24, i;
    WCHAR *ret = alloc( in, (len + 1) * sizeof(WCHAR) );

    if (!ret) return NULL;
    for (i = 0; i < len; i++) ret[i] = next( in ) | next( in ) << 8;
    ret[len] = 0;
    return ret;
}

static void next_binary( struct input *in, SBinary *bin )
{
    bin->cb = next( in ) % 32;
    bin->lpb = alloc_bytes( in, bin->cb );
    if (!bin->lpb) bin->cb = 0;
}

static void next_value( struct input *in, SPropValue *prop, ULONG tag )
{
    ULONG count, i;

    memset( prop, 0, sizeof(*prop) );
    prop->ulPropTag = tag;
    count = (PROP_TYPE(tag) & MV_FLAG) ? next( in ) % 5 : 0;
    switch (PROP_TYPE(tag))
    {
    case PT_STRING8: prop->Value.lpszA = next_string( in ); break;
    case PT_UNICODE: prop->Value.lpszW = next_wstring( in ); break;
    case PT_BINARY: next_binary( in, &prop->Value.bin ); break;
    case PT_CLSID: prop->Value.lpguid = alloc_bytes( in, sizeof(GUID) ); break;
    case PT_MV_STRING8:
        if (!(prop->Value.MVszA.lppszA = alloc( in, count * sizeof(char *) ))) break;
        for (i = 0; i < count; i++) prop->Value.MVszA.lppszA[i] = next_string( in );
        prop->Value.MVszA.cValues = count;
        break;
    case PT_MV_UNICODE:
        if (!(prop->Value.MVszW.lppszW = alloc( in, count * sizeof(WCHAR *) ))) break;
        for (i = 0; i < count; i++) prop->Value.MVszW.lppszW[i] = next_wstring( in );
        prop->Value.MVszW.cValues = count;
        break;
    case PT_MV_BINARY:
        if (!(prop->Value.MVbin.lpbin = alloc( in, count * sizeof(SBinary) ))) break;
        for (i = 0; i < count; i++) next_binary( in, &prop->Value.MVbin.lpbin[i] );
        prop->Value.MVbin.cValues = count;
        break;
    case PT_MV_I2:
        if ((prop->Value.MVi.lpi = alloc_bytes( in, count * sizeof(short) ))) prop->Value.MVi.cValues = count;
        break;
    case PT_MV_LONG:
        if ((prop->Value.MVl.lpl = alloc_bytes( in, count * sizeof(LONG) ))) prop->Value.MVl.cValues = count;
        break;
    case PT_MV_R4:
        if ((prop->Value.MVflt.lpflt = alloc_bytes( in, count * sizeof(float) ))) prop->Value.MVflt.cValues = count;
        break;
    case PT_MV_DOUBLE: case PT_MV_APPTIME:
        if ((prop->Value.MVdbl.lpdbl = alloc_bytes( in, count * sizeof(double) ))) prop->Value.MVdbl.cValues = count;
        break;
    case PT_MV_CURRENCY: case PT_MV_I8: case PT_MV_SYSTIME:
        if ((prop->Value.MVli.lpli = alloc_bytes( in, count * 8 ))) prop->Value.MVli.cValues = count;
        break;
    case PT_MV_CLSID:
        if ((prop->Value.MVguid.lpguid = alloc_bytes( in, count * sizeof(GUID) ))) prop->Value.MVguid.cValues = count;
        break;
    default:
        /* the scalar types: eight bytes cover every member */
        for (i = 0; i < 8; i++) ((unsigned char *)&prop->Value)[i] = next( in );
        break;
    }
}

static SPropValue *next_prop( struct input *in )
{
    SPropValue *prop;

    if (next( in ) == 0xff) return NULL;    /* NULL where a value belongs */
    if (!(prop = alloc( in, sizeof(*prop) ))) return NULL;
    next_value( in, prop, next_tag( in ) );
    return prop;
}

static void next_restriction( struct input *in, SRestriction *res, unsigned int depth );

static SRestriction *next_child( struct input *in, unsigned int depth )
{
    SRestriction *res;

    if (next( in ) == 0xff || !(res = alloc( in, sizeof(*res) ))) return NULL;
    next_restriction( in, res, depth + 1 );
    return res;
}

static void next_restriction( struct input *in, SRestriction *res, unsigned int depth )
{
    ULONG i, count;

    memset( res, 0, sizeof(*res) );
    res->rt = next( in ) % 12;
    /* bounded depth: deep nodes are leaves */
    if (depth >= MAX_DEPTH && (res->rt <= RES_NOT || res->rt == RES_SUBRESTRICTION || res->rt == RES_COMMENT))
        res->rt = RES_EXIST;
    switch (res->rt)
    {
    case RES_AND: case RES_OR:
        count = next( in ) % 4;
        if (next( in ) == 0xff) res->res.resAnd.lpRes = NULL;
        else if ((res->res.resAnd.lpRes = alloc( in, count * sizeof(SRestriction) )))
            for (i = 0; i < count; i++) next_restriction( in, &res->res.resAnd.lpRes[i], depth + 1 );
        else count = 0;
        res->res.resAnd.cRes = count;
        break;
    case RES_NOT:
        res->res.resNot.lpRes = next_child( in, depth );
        break;
    case RES_CONTENT:
        res->res.resContent.ulFuzzyLevel = next32( in );
        res->res.resContent.ulPropTag = next_tag( in );
        res->res.resContent.lpProp = next_prop( in );
        break;
    case RES_PROPERTY:
        res->res.resProperty.relop = next( in ) % 8;
        res->res.resProperty.ulPropTag = next_tag( in );
        res->res.resProperty.lpProp = next_prop( in );
        break;
    case RES_COMPAREPROPS:
        res->res.resCompareProps.relop = next( in ) % 8;
        res->res.resCompareProps.ulPropTag1 = next_tag( in );
        res->res.resCompareProps.ulPropTag2 = next_tag( in );
        break;
    case RES_BITMASK:
        res->res.resBitMask.relBMR = next( in ) % 3;
        res->res.resBitMask.ulPropTag = next_tag( in );
        res->res.resBitMask.ulMask = next32( in );
        break;
    case RES_SIZE:
        res->res.resSize.relop = next( in ) % 8;
        res->res.resSize.ulPropTag = next_tag( in );
        res->res.resSize.cb = next32( in );
        break;
    case RES_EXIST:
        res->res.resExist.ulPropTag = next_tag( in );
        break;
    case RES_SUBRESTRICTION:
        res->res.resSub.ulSubObject = next_tag( in );
        res->res.resSub.lpRes = next_child( in, depth );
        break;
    case RES_COMMENT:
        count = next( in ) % 3;
        if ((res->res.resComment.lpProp = alloc( in, count * sizeof(SPropValue) )))
        {
            for (i = 0; i < count; i++) next_value( in, &res->res.resComment.lpProp[i], next_tag( in ) );
            res->res.resComment.cValues = count;
        }
        res->res.resComment.lpRes = next_child( in, depth );
        break;
    default:
        res->rt = 0x100 + next( in );  /* no such type */
        break;
    }
}

int LLVMFuzzerTestOneInput( const unsigned char *data, size_t size )
{
    static struct input in;
    SRestriction res;
    SPropValue *row;
    ULONG count, i;

    in.data = data;
    in.size = size;
    in.pos = 0;
    in.count = 0;
    next_restriction( &in, &res, 0 );
    count = next( &in ) % 8;
    if ((row = alloc( &in, count * sizeof(*row) )))
    {
        for (i = 0; i < count; i++) next_value( &in, &row[i], next_tag( &in ) );
        /* only what restriction_check accepts reaches evaluation, as in
         * IMAPITable::Restrict and FindRow */
        if (restriction_check( &res, TRUE ) == S_OK)
        {
            BOOL match = restriction_match( &res, row, count );
            SRestriction *copy;

            /* a table view keeps a copy: it must answer as the original */
            if ((copy = restriction_copy( &res )))
            {
                if (restriction_match( copy, row, count ) != match) abort();
                restriction_free( copy );
            }
        }
        for (i = 0; i + 1 < count; i++)
            if (row[i].ulPropTag == row[i + 1].ulPropTag) propval_compare( &row[i], &row[i + 1] );
    }
    for (i = 0; i < in.count; i++) free( in.allocs[i] );
    return 0;
}
