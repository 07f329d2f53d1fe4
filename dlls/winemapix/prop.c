/*
 * Property value utilities and validators
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

#include <stddef.h>
#include <string.h>

#include "winemapix_private.h"
#include "mapival.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~(ULONG_PTR)((a) - 1))

/* Size of one element of a fixed-size property type, 0 if the type has
 * pointers or is not a fixed-size type. */
static ULONG fixed_type_size( ULONG type )
{
    switch (type)
    {
    case PT_I2:
    case PT_BOOLEAN:   return sizeof(short);
    case PT_I4:
    case PT_ERROR:     return sizeof(LONG);
    case PT_R4:        return sizeof(float);
    case PT_R8:
    case PT_APPTIME:   return sizeof(double);
    case PT_CURRENCY:  return sizeof(CY);
    case PT_SYSTIME:   return sizeof(FILETIME);
    case PT_I8:        return sizeof(LARGE_INTEGER);
    case PT_CLSID:     return sizeof(GUID);
    }
    return 0;
}

/* The multi-valued types a property value may carry. */
static BOOL is_valid_mv_type( ULONG type )
{
    switch (type)
    {
    case PT_MV_I2:
    case PT_MV_I4:
    case PT_MV_R4:
    case PT_MV_DOUBLE:
    case PT_MV_APPTIME:
    case PT_MV_CURRENCY:
    case PT_MV_SYSTIME:
    case PT_MV_I8:
    case PT_MV_CLSID:
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
    case PT_MV_BINARY:
        return TRUE;
    }
    return FALSE;
}

/* Walks one property value, laying its data out after *offset bytes from
 * base.  With a NULL base only the size is computed.  Arrays and GUIDs are
 * placed on 8-byte boundaries, wide strings on 2-byte ones, byte data
 * packed. */
static SCODE layout_prop( const SPropValue *src, SPropValue *dst, char *base, ULONG_PTR *offset )
{
    ULONG type = PROP_TYPE(src->ulPropTag), i, count, elem;
    ULONG_PTR off = *offset;
    SIZE_T len;

    if (dst) *dst = *src;

    switch (type)
    {
    case PT_I2: case PT_I4: case PT_R4: case PT_R8: case PT_CURRENCY: case PT_APPTIME:
    case PT_SYSTIME: case PT_ERROR: case PT_BOOLEAN: case PT_OBJECT: case PT_I8:
        return S_OK;

    case PT_CLSID:
        if (!src->Value.lpguid) return MAPI_E_INVALID_PARAMETER;
        off = ALIGN_UP(off, 8);
        if (base)
        {
            memcpy( base + off, src->Value.lpguid, sizeof(GUID) );
            dst->Value.lpguid = (GUID *)(base + off);
        }
        off += sizeof(GUID);
        break;

    case PT_STRING8:
        if (!src->Value.lpszA) return MAPI_E_INVALID_PARAMETER;
        len = strlen( src->Value.lpszA ) + 1;
        if (base)
        {
            memcpy( base + off, src->Value.lpszA, len );
            dst->Value.lpszA = base + off;
        }
        off += len;
        break;

    case PT_UNICODE:
        if (!src->Value.lpszW) return MAPI_E_INVALID_PARAMETER;
        off = ALIGN_UP(off, sizeof(WCHAR));
        len = (wcslen( src->Value.lpszW ) + 1) * sizeof(WCHAR);
        if (base)
        {
            memcpy( base + off, src->Value.lpszW, len );
            dst->Value.lpszW = (WCHAR *)(base + off);
        }
        off += len;
        break;

    case PT_BINARY:
        if (src->Value.bin.cb && !src->Value.bin.lpb) return MAPI_E_INVALID_PARAMETER;
        if (base)
        {
            if (src->Value.bin.cb) memcpy( base + off, src->Value.bin.lpb, src->Value.bin.cb );
            dst->Value.bin.lpb = src->Value.bin.lpb ? (BYTE *)(base + off) : NULL;
        }
        off += src->Value.bin.cb;
        break;

    case PT_MV_STRING8:
        count = src->Value.MVszA.cValues;
        if (count && !src->Value.MVszA.lppszA) return MAPI_E_INVALID_PARAMETER;
        off = ALIGN_UP(off, 8);
        if (base) dst->Value.MVszA.lppszA = (char **)(base + off);
        off += count * sizeof(char *);
        for (i = 0; i < count; i++)
        {
            const char *str = src->Value.MVszA.lppszA[i];
            if (!str) return MAPI_E_INVALID_PARAMETER;
            len = strlen( str ) + 1;
            if (base)
            {
                memcpy( base + off, str, len );
                dst->Value.MVszA.lppszA[i] = base + off;
            }
            off += len;
        }
        break;

    case PT_MV_UNICODE:
        count = src->Value.MVszW.cValues;
        if (count && !src->Value.MVszW.lppszW) return MAPI_E_INVALID_PARAMETER;
        off = ALIGN_UP(off, 8);
        if (base) dst->Value.MVszW.lppszW = (WCHAR **)(base + off);
        off += count * sizeof(WCHAR *);
        for (i = 0; i < count; i++)
        {
            const WCHAR *str = src->Value.MVszW.lppszW[i];
            if (!str) return MAPI_E_INVALID_PARAMETER;
            off = ALIGN_UP(off, sizeof(WCHAR));
            len = (wcslen( str ) + 1) * sizeof(WCHAR);
            if (base)
            {
                memcpy( base + off, str, len );
                dst->Value.MVszW.lppszW[i] = (WCHAR *)(base + off);
            }
            off += len;
        }
        break;

    case PT_MV_BINARY:
        count = src->Value.MVbin.cValues;
        if (count && !src->Value.MVbin.lpbin) return MAPI_E_INVALID_PARAMETER;
        off = ALIGN_UP(off, 8);
        if (base) dst->Value.MVbin.lpbin = (SBinary *)(base + off);
        off += count * sizeof(SBinary);
        for (i = 0; i < count; i++)
        {
            const SBinary *bin = &src->Value.MVbin.lpbin[i];
            if (bin->cb && !bin->lpb) return MAPI_E_INVALID_PARAMETER;
            if (base)
            {
                dst->Value.MVbin.lpbin[i].cb = bin->cb;
                dst->Value.MVbin.lpbin[i].lpb = bin->lpb ? (BYTE *)(base + off) : NULL;
                if (bin->cb) memcpy( base + off, bin->lpb, bin->cb );
            }
            off += bin->cb;
        }
        break;

    default:
        if (!is_valid_mv_type( type )) return MAPI_E_INVALID_PARAMETER;
        /* Fixed-size multi-valued types share one layout: a count and an
         * array pointer (MVi, MVl, ... all alias SShortArray's shape). */
        count = src->Value.MVi.cValues;
        elem = fixed_type_size( type & ~MV_FLAG );
        if (count && !src->Value.MVi.lpi) return MAPI_E_INVALID_PARAMETER;
        off = ALIGN_UP(off, 8);
        if (base)
        {
            if (count) memcpy( base + off, src->Value.MVi.lpi, (SIZE_T)count * elem );
            dst->Value.MVi.lpi = (short *)(base + off);
        }
        off += (ULONG_PTR)count * elem;
        break;
    }

    *offset = off;
    return S_OK;
}

/* Lays out an array of property values followed by their data. */
static SCODE layout_props( int count, const SPropValue *props, char *base, ULONG *size )
{
    ULONG_PTR off;
    SCODE sc;
    int i;

    if (count < 0 || (count && !props)) return MAPI_E_INVALID_PARAMETER;

    off = (ULONG_PTR)count * sizeof(SPropValue);
    for (i = 0; i < count; i++)
    {
        SPropValue *dst = base ? (SPropValue *)base + i : NULL;
        if (FAILED(sc = layout_prop( &props[i], dst, base, &off ))) return sc;
    }
    if (off > ~0u) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (size) *size = off;
    return S_OK;
}

/*************************************************************************
 *              ScCountProps (winemapix.@)
 */
SCODE WINAPI ScCountProps( int count, LPSPropValue props, ULONG *size )
{
    TRACE( "%d, %p, %p.\n", count, props, size );
    return layout_props( count, props, NULL, size );
}

/*************************************************************************
 *              ScCopyProps (winemapix.@)
 */
SCODE WINAPI ScCopyProps( int count, LPSPropValue props, void *dst, ULONG *size )
{
    SCODE sc;

    TRACE( "%d, %p, %p, %p.\n", count, props, dst, size );

    if (!dst) return MAPI_E_INVALID_PARAMETER;
    /* Validate first so that nothing is written for a bad array. */
    if (FAILED(sc = layout_props( count, props, NULL, NULL ))) return sc;
    return layout_props( count, props, dst, size );
}

/*************************************************************************
 *              ScDupPropset (winemapix.@)
 */
SCODE WINAPI ScDupPropset( int count, LPSPropValue props, LPALLOCATEBUFFER alloc, LPSPropValue *out )
{
    void *buffer;
    ULONG size;
    SCODE sc;

    TRACE( "%d, %p, %p, %p.\n", count, props, alloc, out );

    if (!alloc || !out) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(sc = layout_props( count, props, NULL, &size ))) return sc;
    if (FAILED(sc = alloc( size, &buffer ))) return sc;
    layout_props( count, props, buffer, NULL );
    *out = buffer;
    return S_OK;
}

static inline void *reloc_ptr( void *ptr, char *old_base, char *new_base )
{
    return ptr ? new_base + ((char *)ptr - old_base) : NULL;
}

/*************************************************************************
 *              ScRelocProps (winemapix.@)
 */
SCODE WINAPI ScRelocProps( int count, LPSPropValue props, void *old_base, void *new_base, ULONG *size )
{
    char *mem_base;
    ULONG i, j, type;
    SCODE sc;

    TRACE( "%d, %p, %p, %p, %p.\n", count, props, old_base, new_base, size );

    if (count < 0 || (count && !props)) return MAPI_E_INVALID_PARAMETER;

    /* The array lives either at the old base (relocating to a neutral
     * base before saving) or at the new one (after moving or loading it);
     * nested arrays are read where the memory really is.  The pointers are
     * only valid there before relocation in the first case and after it in
     * the second, which decides when the size is counted. */
    mem_base = (char *)props == (char *)old_base ? old_base : new_base;
    if (size && mem_base == old_base && FAILED(sc = layout_props( count, props, NULL, size ))) return sc;

#define AT(p) ((void *)(mem_base + ((char *)(p) - (char *)old_base)))
    for (i = 0; i < count; i++)
    {
        SPropValue *prop = &props[i];

        type = PROP_TYPE(prop->ulPropTag);
        switch (type)
        {
        case PT_I2: case PT_I4: case PT_R4: case PT_R8: case PT_CURRENCY: case PT_APPTIME:
        case PT_SYSTIME: case PT_ERROR: case PT_BOOLEAN: case PT_OBJECT: case PT_I8:
            break;
        case PT_CLSID:
            prop->Value.lpguid = reloc_ptr( prop->Value.lpguid, old_base, new_base );
            break;
        case PT_STRING8:
            prop->Value.lpszA = reloc_ptr( prop->Value.lpszA, old_base, new_base );
            break;
        case PT_UNICODE:
            prop->Value.lpszW = reloc_ptr( prop->Value.lpszW, old_base, new_base );
            break;
        case PT_BINARY:
            prop->Value.bin.lpb = reloc_ptr( prop->Value.bin.lpb, old_base, new_base );
            break;
        case PT_MV_STRING8:
        {
            char **array = AT(prop->Value.MVszA.lppszA);
            for (j = 0; j < prop->Value.MVszA.cValues; j++) array[j] = reloc_ptr( array[j], old_base, new_base );
            prop->Value.MVszA.lppszA = reloc_ptr( prop->Value.MVszA.lppszA, old_base, new_base );
            break;
        }
        case PT_MV_UNICODE:
        {
            WCHAR **array = AT(prop->Value.MVszW.lppszW);
            for (j = 0; j < prop->Value.MVszW.cValues; j++) array[j] = reloc_ptr( array[j], old_base, new_base );
            prop->Value.MVszW.lppszW = reloc_ptr( prop->Value.MVszW.lppszW, old_base, new_base );
            break;
        }
        case PT_MV_BINARY:
        {
            SBinary *array = AT(prop->Value.MVbin.lpbin);
            for (j = 0; j < prop->Value.MVbin.cValues; j++)
                array[j].lpb = reloc_ptr( array[j].lpb, old_base, new_base );
            prop->Value.MVbin.lpbin = reloc_ptr( prop->Value.MVbin.lpbin, old_base, new_base );
            break;
        }
        default:
            if (!is_valid_mv_type( type )) return MAPI_E_INVALID_PARAMETER;
            prop->Value.MVi.lpi = reloc_ptr( prop->Value.MVi.lpi, old_base, new_base );
            break;
        }
    }
#undef AT

    if (size && mem_base != old_base) return layout_props( count, props, NULL, size );
    return S_OK;
}

/*************************************************************************
 *              UlPropSize (winemapix.@)
 */
ULONG WINAPI UlPropSize( LPSPropValue prop )
{
    ULONG type, size = 0, i;

    TRACE( "%p.\n", prop );

    if (!prop) return 0;

    switch ((type = PROP_TYPE(prop->ulPropTag)))
    {
    case PT_STRING8:
        return prop->Value.lpszA ? strlen( prop->Value.lpszA ) + 1 : 0;
    case PT_UNICODE:
        return prop->Value.lpszW ? (wcslen( prop->Value.lpszW ) + 1) * sizeof(WCHAR) : 0;
    case PT_BINARY:
        return prop->Value.bin.cb;
    case PT_MV_STRING8:
        for (i = 0; i < prop->Value.MVszA.cValues; i++)
            if (prop->Value.MVszA.lppszA[i]) size += strlen( prop->Value.MVszA.lppszA[i] ) + 1;
        return size;
    case PT_MV_UNICODE:
        for (i = 0; i < prop->Value.MVszW.cValues; i++)
            if (prop->Value.MVszW.lppszW[i])
                size += (wcslen( prop->Value.MVszW.lppszW[i] ) + 1) * sizeof(WCHAR);
        return size;
    case PT_MV_BINARY:
        for (i = 0; i < prop->Value.MVbin.cValues; i++) size += prop->Value.MVbin.lpbin[i].cb;
        return size;
    }

    if (is_valid_mv_type( type )) return prop->Value.MVi.cValues * fixed_type_size( type & ~MV_FLAG );
    return fixed_type_size( type );
}

/*************************************************************************
 *              PropCopyMore (winemapix.@)
 */
SCODE WINAPI PropCopyMore( LPSPropValue dst, LPSPropValue src, ALLOCATEMORE *more, void *object )
{
    ULONG size;
    void *buffer;
    SCODE sc;

    TRACE( "%p, %p, %p, %p.\n", dst, src, more, object );

    if (!dst || !src || !more) return MAPI_E_INVALID_PARAMETER;

    switch (PROP_TYPE(src->ulPropTag))
    {
    case PT_I2: case PT_I4: case PT_R4: case PT_R8: case PT_CURRENCY: case PT_APPTIME:
    case PT_SYSTIME: case PT_ERROR: case PT_BOOLEAN: case PT_OBJECT: case PT_I8:
    case PT_NULL: case PT_UNSPECIFIED:
        *dst = *src;
        return S_OK;
    }

    /* Everything else gets its data in one block linked to object, laid
     * out as ScCopyProps would lay out the data after the array. */
    if (FAILED(sc = layout_props( 1, src, NULL, &size ))) return sc;
    size -= sizeof(SPropValue);
    if (FAILED(sc = more( size ? size : 1, object, &buffer ))) return sc;
    {
        ULONG_PTR off = 0;
        SPropValue tmp;

        layout_prop( src, &tmp, buffer, &off );
        *dst = tmp;
    }
    return S_OK;
}

/*************************************************************************
 *              PpropFindProp (winemapix.@)
 */
LPSPropValue WINAPI PpropFindProp( LPSPropValue props, ULONG count, ULONG tag )
{
    ULONG i;

    TRACE( "%p, %lu, %#lx.\n", props, count, tag );

    if (!props) return NULL;
    for (i = 0; i < count; i++)
    {
        if (PROP_ID(props[i].ulPropTag) != PROP_ID(tag)) continue;
        if (PROP_TYPE(tag) == PT_UNSPECIFIED || PROP_TYPE(tag) == PROP_TYPE(props[i].ulPropTag))
            return &props[i];
    }
    return NULL;
}

/*************************************************************************
 *              LpValFindProp (winemapix.@)
 */
LPSPropValue WINAPI LpValFindProp( ULONG tag, ULONG count, LPSPropValue props )
{
    ULONG i;

    TRACE( "%#lx, %lu, %p.\n", tag, count, props );

    if (!props) return NULL;
    for (i = 0; i < count; i++)
        if (PROP_ID(props[i].ulPropTag) == PROP_ID(tag)) return &props[i];
    return NULL;
}

/*************************************************************************
 *              FPropExists (winemapix.@)
 */
BOOL WINAPI FPropExists( LPMAPIPROP obj, ULONG tag )
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *values = NULL;
    ULONG count = 0;
    BOOL ret;
    HRESULT hr;

    TRACE( "%p, %#lx.\n", obj, tag );

    if (!obj) return FALSE;
    hr = IMAPIProp_GetProps( obj, (SPropTagArray *)&tags, 0, &count, &values );
    ret = hr == S_OK && values && count == 1 && PROP_TYPE(values[0].ulPropTag) != PT_ERROR;
    MAPIFreeBuffer( values );
    return ret;
}

/*************************************************************************
 *              HrGetOneProp (winemapix.@)
 */
HRESULT WINAPI HrGetOneProp( LPMAPIPROP obj, ULONG tag, LPSPropValue *out )
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *values = NULL;
    ULONG count = 0;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", obj, tag, out );

    if (!obj || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;

    hr = IMAPIProp_GetProps( obj, (SPropTagArray *)&tags, 0, &count, &values );
    if (hr == MAPI_W_ERRORS_RETURNED)
    {
        /* A missing property is an error here, unlike in GetProps. */
        hr = values && count == 1 && PROP_TYPE(values[0].ulPropTag) == PT_ERROR
                ? values[0].Value.err : MAPI_E_NOT_FOUND;
        if (SUCCEEDED(hr)) hr = MAPI_E_NOT_FOUND;
        MAPIFreeBuffer( values );
        return hr;
    }
    if (FAILED(hr))
    {
        MAPIFreeBuffer( values );
        return hr;
    }
    *out = values;
    return S_OK;
}

/*************************************************************************
 *              HrSetOneProp (winemapix.@)
 */
HRESULT WINAPI HrSetOneProp( LPMAPIPROP obj, LPSPropValue prop )
{
    SPropProblemArray *problems = NULL;
    HRESULT hr;

    TRACE( "%p, %p.\n", obj, prop );

    if (!obj || !prop) return MAPI_E_INVALID_PARAMETER;

    hr = IMAPIProp_SetProps( obj, 1, prop, &problems );
    if (SUCCEEDED(hr) && problems)
    {
        if (problems->cProblem) hr = problems->aProblem[0].scode;
        MAPIFreeBuffer( problems );
    }
    return hr;
}

/*************************************************************************
 *              FreeProws (winemapix.@)
 */
void WINAPI FreeProws( LPSRowSet rows )
{
    ULONG i;

    TRACE( "%p.\n", rows );

    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer( rows->aRow[i].lpProps );
    MAPIFreeBuffer( rows );
}

/*************************************************************************
 *              FreePadrlist (winemapix.@)
 */
void WINAPI FreePadrlist( LPADRLIST list )
{
    ULONG i;

    TRACE( "%p.\n", list );

    if (!list) return;
    for (i = 0; i < list->cEntries; i++) MAPIFreeBuffer( list->aEntries[i].rgPropVals );
    MAPIFreeBuffer( list );
}

/*************************************************************************
 *              HrQueryAllRows (winemapix.@)
 */
HRESULT WINAPI HrQueryAllRows( LPMAPITABLE table, LPSPropTagArray columns, LPSRestriction restriction,
                               LPSSortOrderSet sort, LONG max_rows, LPSRowSet *out )
{
    /* Rows are read in batches; each batch's row set is merged into one
     * that owns every row's property buffer. */
    static const LONG batch = 0x200;
    SRowSet *all = NULL, *rows, *merged;
    ULONG total = 0;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %ld, %p.\n", table, columns, restriction, sort, max_rows, out );

    if (!table || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;

    /* Wine's mapidefs.h misspells the Restrict macro and gives SeekRow
     * one argument too few, so those two go through the vtable. */
    if (columns && FAILED(hr = IMAPITable_SetColumns( table, columns, TBL_BATCH ))) return hr;
    if (restriction && FAILED(hr = table->lpVtbl->Restrict( table, restriction, TBL_BATCH ))) return hr;
    if (sort && FAILED(hr = IMAPITable_SortTable( table, sort, TBL_BATCH ))) return hr;
    if (FAILED(hr = table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL ))) return hr;

    for (;;)
    {
        rows = NULL;
        if (FAILED(hr = IMAPITable_QueryRows( table, batch, 0, &rows ))) break;
        if (!rows || !rows->cRows)
        {
            MAPIFreeBuffer( rows );
            break;
        }
        if (max_rows > 0 && total + rows->cRows > (ULONG)max_rows)
        {
            FreeProws( rows );
            hr = MAPI_E_TABLE_TOO_BIG;
            break;
        }
        if (FAILED(hr = MAPIAllocateBuffer( CbNewSRowSet(total + rows->cRows), (void **)&merged )))
        {
            FreeProws( rows );
            break;
        }
        if (total) memcpy( merged->aRow, all->aRow, total * sizeof(SRow) );
        memcpy( merged->aRow + total, rows->aRow, rows->cRows * sizeof(SRow) );
        total += rows->cRows;
        merged->cRows = total;
        /* only the containers go; the rows now belong to merged */
        MAPIFreeBuffer( rows );
        MAPIFreeBuffer( all );
        all = merged;
    }

    if (FAILED(hr))
    {
        FreeProws( all );
        return hr;
    }
    if (!all)
    {
        if (FAILED(hr = MAPIAllocateBuffer( CbNewSRowSet(0), (void **)&all ))) return hr;
        all->cRows = 0;
    }
    *out = all;
    return S_OK;
}

/* Validators.  They return non-zero for anything a MAPI method should
 * reject, and never crash on unreadable memory. */

static BOOL is_valid_tag_type( ULONG type )
{
    switch (type & ~MV_FLAG)
    {
    case PT_UNSPECIFIED: case PT_NULL: case PT_I2: case PT_I4: case PT_R4: case PT_R8:
    case PT_CURRENCY: case PT_APPTIME: case PT_ERROR: case PT_BOOLEAN: case PT_OBJECT:
    case PT_I8: case PT_STRING8: case PT_UNICODE: case PT_SYSTIME: case PT_CLSID: case PT_BINARY:
        return TRUE;
    }
    return FALSE;
}

/*************************************************************************
 *              FBadPropTag (winemapix.@)
 */
ULONG WINAPI FBadPropTag( ULONG tag )
{
    TRACE( "%#lx.\n", tag );
    return !is_valid_tag_type( PROP_TYPE(tag) );
}

static BOOL bad_string_a( const char *str )
{
    return !str || IsBadStringPtrA( str, ~(UINT_PTR)0 );
}

static BOOL bad_string_w( const WCHAR *str )
{
    return !str || IsBadStringPtrW( str, ~(UINT_PTR)0 );
}

/*************************************************************************
 *              FBadProp (winemapix.@)
 */
ULONG WINAPI FBadProp( LPSPropValue prop )
{
    ULONG i, count;

    TRACE( "%p.\n", prop );

    if (!prop || IsBadReadPtr( prop, sizeof(*prop) ) || FBadPropTag( prop->ulPropTag )) return TRUE;

    switch (PROP_TYPE(prop->ulPropTag))
    {
    case PT_CLSID:
        return !prop->Value.lpguid || IsBadReadPtr( prop->Value.lpguid, sizeof(GUID) );
    case PT_STRING8:
        return bad_string_a( prop->Value.lpszA );
    case PT_UNICODE:
        return bad_string_w( prop->Value.lpszW );
    case PT_BINARY:
        return IsBadReadPtr( prop->Value.bin.lpb, prop->Value.bin.cb );
    case PT_MV_STRING8:
        count = prop->Value.MVszA.cValues;
        if (IsBadReadPtr( prop->Value.MVszA.lppszA, count * sizeof(char *) )) return TRUE;
        for (i = 0; i < count; i++) if (bad_string_a( prop->Value.MVszA.lppszA[i] )) return TRUE;
        return FALSE;
    case PT_MV_UNICODE:
        count = prop->Value.MVszW.cValues;
        if (IsBadReadPtr( prop->Value.MVszW.lppszW, count * sizeof(WCHAR *) )) return TRUE;
        for (i = 0; i < count; i++) if (bad_string_w( prop->Value.MVszW.lppszW[i] )) return TRUE;
        return FALSE;
    case PT_MV_BINARY:
        count = prop->Value.MVbin.cValues;
        if (IsBadReadPtr( prop->Value.MVbin.lpbin, count * sizeof(SBinary) )) return TRUE;
        for (i = 0; i < count; i++)
            if (IsBadReadPtr( prop->Value.MVbin.lpbin[i].lpb, prop->Value.MVbin.lpbin[i].cb )) return TRUE;
        return FALSE;
    }

    if (is_valid_mv_type( PROP_TYPE(prop->ulPropTag) ))
        return IsBadReadPtr( prop->Value.MVi.lpi, prop->Value.MVi.cValues
                             * fixed_type_size( PROP_TYPE(prop->ulPropTag) & ~MV_FLAG ) );
    return FALSE;
}

/*************************************************************************
 *              FBadColumnSet (winemapix.@)
 */
ULONG WINAPI FBadColumnSet( LPSPropTagArray columns )
{
    ULONG i;

    TRACE( "%p.\n", columns );

    if (!columns || IsBadReadPtr( columns, CbNewSPropTagArray(0) )
            || IsBadReadPtr( columns, CbSPropTagArray(columns) ))
        return TRUE;
    for (i = 0; i < columns->cValues; i++)
    {
        /* a column can hold a multi-valued error, never a plain one */
        if (FBadPropTag( columns->aulPropTag[i] ) || PROP_TYPE(columns->aulPropTag[i]) == PT_ERROR)
            return TRUE;
    }
    return FALSE;
}

/*************************************************************************
 *              FBadRow (winemapix.@)
 */
ULONG WINAPI FBadRow( LPSRow row )
{
    ULONG i;

    TRACE( "%p.\n", row );

    if (!row || IsBadReadPtr( row, sizeof(*row) )) return TRUE;
    if (IsBadReadPtr( row->lpProps, row->cValues * sizeof(SPropValue) )) return TRUE;
    for (i = 0; i < row->cValues; i++) if (FBadProp( &row->lpProps[i] )) return TRUE;
    return FALSE;
}

/*************************************************************************
 *              FBadRowSet (winemapix.@)
 */
BOOL WINAPI FBadRowSet( LPSRowSet rows )
{
    ULONG i;

    TRACE( "%p.\n", rows );

    if (!rows || IsBadReadPtr( rows, CbNewSRowSet(0) ) || IsBadReadPtr( rows, CbSRowSet(rows) )) return TRUE;
    for (i = 0; i < rows->cRows; i++) if (FBadRow( &rows->aRow[i] )) return TRUE;
    return FALSE;
}

/*************************************************************************
 *              FBadRglpszW (winemapix.@)
 */
BOOL WINAPI FBadRglpszW( LPWSTR *strings, ULONG count )
{
    ULONG i;

    TRACE( "%p, %lu.\n", strings, count );

    if (!strings || IsBadReadPtr( strings, count * sizeof(*strings) )) return TRUE;
    for (i = 0; i < count; i++) if (bad_string_w( strings[i] )) return TRUE;
    return FALSE;
}

/*************************************************************************
 *              FBadRglpszA (winemapix.@)
 */
BOOL WINAPI FBadRglpszA( LPSTR *strings, ULONG count )
{
    ULONG i;

    TRACE( "%p, %lu.\n", strings, count );

    if (!strings || IsBadReadPtr( strings, count * sizeof(*strings) )) return TRUE;
    for (i = 0; i < count; i++) if (bad_string_a( strings[i] )) return TRUE;
    return FALSE;
}

/*************************************************************************
 *              FBadRglpNameID (winemapix.@)
 */
BOOL WINAPI FBadRglpNameID( LPMAPINAMEID *names, ULONG count )
{
    ULONG i;

    TRACE( "%p, %lu.\n", names, count );

    if (!names || IsBadReadPtr( names, count * sizeof(*names) )) return TRUE;
    for (i = 0; i < count; i++)
    {
        const MAPINAMEID *name = names[i];

        if (!name || IsBadReadPtr( name, sizeof(*name) )) return TRUE;
        if (!name->lpguid || IsBadReadPtr( name->lpguid, sizeof(GUID) )) return TRUE;
        if (name->ulKind == MNID_STRING)
        {
            if (bad_string_w( name->Kind.lpwstrName )) return TRUE;
        }
        else if (name->ulKind != MNID_ID) return TRUE;
    }
    return FALSE;
}

/*************************************************************************
 *              FBadEntryList (winemapix.@)
 */
BOOL WINAPI FBadEntryList( LPENTRYLIST list )
{
    ULONG i;

    TRACE( "%p.\n", list );

    if (!list || IsBadReadPtr( list, sizeof(*list) )) return TRUE;
    if (IsBadReadPtr( list->lpbin, list->cValues * sizeof(SBinary) )) return TRUE;
    for (i = 0; i < list->cValues; i++)
        if (IsBadReadPtr( list->lpbin[i].lpb, list->lpbin[i].cb )) return TRUE;
    return FALSE;
}

/*************************************************************************
 *              FBadSortOrderSet (winemapix.@)
 */
ULONG WINAPI FBadSortOrderSet( LPSSortOrderSet sort )
{
    ULONG i;

    TRACE( "%p.\n", sort );

    if (!sort || IsBadReadPtr( sort, offsetof(SSortOrderSet, aSort[0]) )
            || IsBadReadPtr( sort, offsetof(SSortOrderSet, aSort[sort->cSorts]) ))
        return TRUE;
    /* categories are counted among the sort keys */
    if (sort->cCategories > sort->cSorts || sort->cExpanded > sort->cCategories) return TRUE;
    for (i = 0; i < sort->cSorts; i++)
    {
        if (FBadPropTag( sort->aSort[i].ulPropTag )) return TRUE;
        switch (sort->aSort[i].ulOrder)
        {
        case TABLE_SORT_ASCEND:
        case TABLE_SORT_DESCEND:
        case TABLE_SORT_COMBINE:
        case 4: /* TABLE_SORT_CATEG_MAX */
        case 8: /* TABLE_SORT_CATEG_MIN */
            break;
        default:
            return TRUE;
        }
    }
    return FALSE;
}

static BOOL bad_restriction( const SRestriction *res, unsigned int depth )
{
    ULONG i;

    /* deeper than any sane restriction; also stops cycles */
    if (depth > 256) return TRUE;
    if (!res || IsBadReadPtr( res, sizeof(*res) )) return TRUE;

    switch (res->rt)
    {
    case RES_AND:
    case RES_OR:
        if (IsBadReadPtr( res->res.resAnd.lpRes, res->res.resAnd.cRes * sizeof(SRestriction) )) return TRUE;
        for (i = 0; i < res->res.resAnd.cRes; i++)
            if (bad_restriction( &res->res.resAnd.lpRes[i], depth + 1 )) return TRUE;
        return FALSE;
    case RES_NOT:
        return bad_restriction( res->res.resNot.lpRes, depth + 1 );
    case RES_CONTENT:
        if (FBadPropTag( res->res.resContent.ulPropTag )) return TRUE;
        return FBadProp( res->res.resContent.lpProp );
    case RES_PROPERTY:
        if (res->res.resProperty.relop > RELOP_RE || FBadPropTag( res->res.resProperty.ulPropTag )) return TRUE;
        return FBadProp( res->res.resProperty.lpProp );
    case RES_COMPAREPROPS:
        return res->res.resCompareProps.relop > RELOP_RE || FBadPropTag( res->res.resCompareProps.ulPropTag1 )
                || FBadPropTag( res->res.resCompareProps.ulPropTag2 );
    case RES_BITMASK:
        /* BMR_EQZ (0) or BMR_NEZ (1) */
        return res->res.resBitMask.relBMR > 1 || FBadPropTag( res->res.resBitMask.ulPropTag );
    case RES_SIZE:
        return res->res.resSize.relop > RELOP_RE || FBadPropTag( res->res.resSize.ulPropTag );
    case RES_EXIST:
        return FBadPropTag( res->res.resExist.ulPropTag );
    case RES_SUBRESTRICTION:
        return bad_restriction( res->res.resSub.lpRes, depth + 1 );
    case RES_COMMENT:
        if (IsBadReadPtr( res->res.resComment.lpProp, res->res.resComment.cValues * sizeof(SPropValue) ))
            return TRUE;
        for (i = 0; i < res->res.resComment.cValues; i++)
            if (FBadProp( &res->res.resComment.lpProp[i] )) return TRUE;
        return res->res.resComment.lpRes && bad_restriction( res->res.resComment.lpRes, depth + 1 );
    }
    return TRUE;
}

/*************************************************************************
 *              FBadRestriction (winemapix.@)
 */
ULONG WINAPI FBadRestriction( LPSRestriction res )
{
    TRACE( "%p.\n", res );
    return bad_restriction( res, 0 );
}
