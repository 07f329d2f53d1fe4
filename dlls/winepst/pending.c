/*
 * winepst: the unsaved state of messages and attachments
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

/*
 * MAPI messages and attachments are transacted: nothing reaches the file
 * before SaveChanges.  Until then their changes live here, as engine
 * values (struct pst_value in the stored encoding, so that the read path's
 * props_convert_value serves them and the writer takes them as they are):
 *
 *   struct pending_props     values set over what the file stores, and the
 *                            stored tags deleted;
 *   struct pending_message   a message's properties, and, once changed,
 *                            its whole recipient list and attachments
 *                            (loaded from the file the first time either
 *                            changes, because the engine replaces those
 *                            only with the whole message).
 *
 * Strings are kept as PT_UNICODE whatever type the client sets: the writer
 * writes Unicode stores, and GetProps converts back on request.
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

static void value_free( struct pst_value *value )
{
    free( (void *)value->bytes );
    value->bytes = NULL;
}

void pending_props_clear( struct pending_props *p )
{
    ULONG i;

    for (i = 0; i < p->count; i++) value_free( &p->values[i] );
    free( p->values );
    free( p->deleted );
    memset( p, 0, sizeof(*p) );
}

static HRESULT value_copy( struct pst_value *dst, const struct pst_value *src )
{
    *dst = *src;
    dst->bytes = NULL;
    if (src->bytes)
    {
        void *bytes;

        if (!(bytes = malloc( src->size ? src->size : 1 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy( bytes, src->bytes, src->size );
        dst->bytes = bytes;
    }
    return S_OK;
}

HRESULT pending_props_copy( struct pending_props *dst, const struct pending_props *src )
{
    ULONG i;

    memset( dst, 0, sizeof(*dst) );
    if (src->count && !(dst->values = calloc( src->count, sizeof(*dst->values) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < src->count; i++)
    {
        if (FAILED(value_copy( &dst->values[i], &src->values[i] )))
        {
            pending_props_clear( dst );
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        dst->count++;
    }
    if (src->deleted_count)
    {
        if (!(dst->deleted = malloc( src->deleted_count * sizeof(ULONG) )))
        {
            pending_props_clear( dst );
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        memcpy( dst->deleted, src->deleted, src->deleted_count * sizeof(ULONG) );
        dst->deleted_count = src->deleted_count;
    }
    return S_OK;
}

const struct pst_value *pending_find( const struct pending_props *p, ULONG id )
{
    ULONG i;

    for (i = 0; i < p->count; i++) if (PROP_ID(p->values[i].tag) == id) return &p->values[i];
    return NULL;
}

BOOL pending_is_deleted( const struct pending_props *p, ULONG id )
{
    ULONG i;

    for (i = 0; i < p->deleted_count; i++) if (PROP_ID(p->deleted[i]) == id) return TRUE;
    return FALSE;
}

static HRESULT add_deleted( struct pending_props *p, ULONG tag )
{
    ULONG *tmp;
    ULONG i;

    for (i = 0; i < p->deleted_count; i++) if (p->deleted[i] == tag) return S_OK;
    if (!(tmp = realloc( p->deleted, (p->deleted_count + 1) * sizeof(ULONG) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    p->deleted = tmp;
    p->deleted[p->deleted_count++] = tag;
    return S_OK;
}

/* Removes the pending value of ID; a value OBJ stores is deleted too. */
HRESULT pending_delete( struct pending_props *p, ULONG id, struct pst_object *obj )
{
    struct pst_value stored;
    ULONG i;

    for (i = 0; i < p->count; i++)
    {
        if (PROP_ID(p->values[i].tag) != id) continue;
        value_free( &p->values[i] );
        p->values[i] = p->values[--p->count];
        break;
    }
    if (obj && !pst_prop_get( obj, PROP_TAG(PT_UNSPECIFIED, id), &stored )) return add_deleted( p, stored.tag );
    return S_OK;
}

/* Takes VALUE (and its bytes) as the pending value of its ID.  A stored
 * value of the same ID in another type is deleted with it. */
static HRESULT pending_take( struct pending_props *p, struct pst_value *value, struct pst_object *obj )
{
    struct pst_value stored, *tmp;
    ULONG i, id = PROP_ID(value->tag);

    for (i = 0; i < p->deleted_count; i++)
    {
        if (PROP_ID(p->deleted[i]) != id) continue;
        p->deleted[i--] = p->deleted[--p->deleted_count];
    }
    if (obj && !pst_prop_get( obj, PROP_TAG(PT_UNSPECIFIED, id), &stored ) && stored.tag != value->tag
            && FAILED(add_deleted( p, stored.tag )))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < p->count; i++)
    {
        if (PROP_ID(p->values[i].tag) != id) continue;
        value_free( &p->values[i] );
        p->values[i] = *value;
        return S_OK;
    }
    if (!(tmp = realloc( p->values, (p->count + 1) * sizeof(*tmp) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    p->values = tmp;
    p->values[p->count++] = *value;
    return S_OK;
}

HRESULT pending_set_value( struct pending_props *p, const struct pst_value *value, struct pst_object *obj )
{
    struct pst_value copy;
    HRESULT hr;

    if (FAILED(hr = value_copy( &copy, value ))) return hr;
    if (FAILED(hr = pending_take( p, &copy, obj ))) value_free( &copy );
    return hr;
}

/* Sets a string or binary of SIZE bytes taken from DATA (ownership moves). */
HRESULT pending_set_bytes( struct pending_props *p, ULONG tag, void *data, size_t size, struct pst_object *obj )
{
    struct pst_value value;
    HRESULT hr;

    memset( &value, 0, sizeof(value) );
    value.tag = tag;
    value.type = PROP_TYPE(tag);
    value.bytes = data;
    value.size = size;
    if (FAILED(hr = pending_take( p, &value, obj ))) free( data );
    return hr;
}

static unsigned int fixed_size( ULONG type )
{
    switch (type)
    {
    case PT_I2: return 2;
    case PT_LONG: case PT_R4: case PT_ERROR: case PT_BOOLEAN: return 4;
    case PT_DOUBLE: case PT_APPTIME: case PT_CURRENCY: case PT_I8: case PT_SYSTIME: return 8;
    case PT_CLSID: return 16;
    }
    return 0;
}

static WCHAR *ansi_to_unicode( const char *str, size_t *chars )
{
    int len = MultiByteToWideChar( CP_ACP, 0, str, -1, NULL, 0 );
    WCHAR *out;

    if (!(out = malloc( len * sizeof(WCHAR) ))) return NULL;
    MultiByteToWideChar( CP_ACP, 0, str, -1, out, len );
    *chars = len - 1;
    return out;
}

/* One element of a multi-valued property, as bytes. */
static HRESULT mv_element( const SPropValue *prop, ULONG i, const void **data, size_t *size, void **buffer )
{
    *buffer = NULL;
    switch (PROP_TYPE(prop->ulPropTag) & ~MV_FLAG)
    {
    case PT_BINARY:
        *data = prop->Value.MVbin.lpbin[i].lpb;
        *size = prop->Value.MVbin.lpbin[i].cb;
        if (*size && !*data) return MAPI_E_INVALID_PARAMETER;
        return S_OK;
    case PT_UNICODE:
        if (!prop->Value.MVszW.lppszW[i]) return MAPI_E_INVALID_PARAMETER;
        *data = prop->Value.MVszW.lppszW[i];
        *size = wcslen( prop->Value.MVszW.lppszW[i] ) * sizeof(WCHAR);
        return S_OK;
    case PT_STRING8:
    {
        size_t chars;

        if (!prop->Value.MVszA.lppszA[i]) return MAPI_E_INVALID_PARAMETER;
        if (!(*buffer = ansi_to_unicode( prop->Value.MVszA.lppszA[i], &chars ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        *data = *buffer;
        *size = chars * sizeof(WCHAR);
        return S_OK;
    }
    }
    return MAPI_E_INVALID_TYPE;
}

/* A client's value as an owned engine value.  MAPI_E_INVALID_TYPE for
 * types a store cannot hold, MAPI_E_INVALID_PARAMETER for PT_OBJECT and
 * empty or broken multi-valued values (imapiprop-setprops.md). */
HRESULT pending_value_from_mapi( const SPropValue *prop, struct pst_value *value )
{
    ULONG type = PROP_TYPE(prop->ulPropTag), base = type & ~MV_FLAG;
    unsigned int fixed = fixed_size( base );
    BYTE *bytes;
    size_t chars;

    memset( value, 0, sizeof(*value) );
    if (type == PT_OBJECT) return MAPI_E_INVALID_PARAMETER;
    if (type & MV_FLAG)
    {
        ULONG count = prop->Value.MVi.cValues, i;
        size_t total, offset;
        HRESULT hr = S_OK;

        if (base == PT_ERROR || base == PT_BOOLEAN) return MAPI_E_INVALID_TYPE;
        if (!fixed && base != PT_BINARY && base != PT_UNICODE && base != PT_STRING8) return MAPI_E_INVALID_TYPE;
        if (!count || !prop->Value.MVi.lpi) return MAPI_E_INVALID_PARAMETER;
        if (fixed)
        {
            if (!(bytes = malloc( (size_t)count * fixed ))) return MAPI_E_NOT_ENOUGH_MEMORY;
            /* the MAPI arrays have the stored layout: little-endian elements */
            if (base == PT_CLSID)
            {
                for (i = 0; i < count; i++) memcpy( bytes + i * 16, &prop->Value.MVguid.lpguid[i], 16 );
            }
            else memcpy( bytes, prop->Value.MVi.lpi, (size_t)count * fixed );
            value->size = (size_t)count * fixed;
        }
        else if (base == PT_BINARY || base == PT_UNICODE || base == PT_STRING8)
        {
            const void *data;
            void *buffer;
            size_t size;

            total = 4 + 4 * (size_t)count;
            for (i = 0; i < count; i++)
            {
                if (FAILED(hr = mv_element( prop, i, &data, &size, &buffer ))) return hr;
                free( buffer );
                total += size;
            }
            if (!(bytes = malloc( total ))) return MAPI_E_NOT_ENOUGH_MEMORY;
            memcpy( bytes, &count, 4 );
            offset = 4 + 4 * (size_t)count;
            for (i = 0; i < count; i++)
            {
                ULONG start = offset;

                if (FAILED(hr = mv_element( prop, i, &data, &size, &buffer ))) break;
                memcpy( bytes + 4 + 4 * i, &start, 4 );
                memcpy( bytes + offset, data, size );
                offset += size;
                free( buffer );
            }
            if (FAILED(hr))
            {
                free( bytes );
                return hr;
            }
            value->size = total;
            if (base == PT_STRING8) type = PT_MV_UNICODE;
        }
        else return MAPI_E_INVALID_TYPE;
        value->bytes = bytes;
        value->type = type;
        value->tag = PROP_TAG(type, PROP_ID(prop->ulPropTag));
        return S_OK;
    }

    switch (type)
    {
    case PT_I2:       value->u.i2 = prop->Value.i; break;
    case PT_LONG:     value->u.l = prop->Value.l; break;
    case PT_R4:       value->u.r4 = prop->Value.flt; break;
    case PT_DOUBLE:   value->u.dbl = prop->Value.dbl; break;
    case PT_APPTIME:  value->u.dbl = prop->Value.at; break;
    case PT_CURRENCY: value->u.i8 = prop->Value.cur.int64; break;
    case PT_BOOLEAN:  value->u.boolean = !!prop->Value.b; break;
    case PT_I8:       value->u.i8 = prop->Value.li.QuadPart; break;
    case PT_SYSTIME:
        value->u.i8 = ((INT64)prop->Value.ft.dwHighDateTime << 32) | prop->Value.ft.dwLowDateTime;
        break;
    case PT_CLSID:
        if (!prop->Value.lpguid) return MAPI_E_INVALID_PARAMETER;
        if (!(bytes = malloc( 16 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy( bytes, prop->Value.lpguid, 16 );
        value->bytes = bytes;
        value->size = 16;
        break;
    case PT_BINARY:
        if (prop->Value.bin.cb && !prop->Value.bin.lpb) return MAPI_E_INVALID_PARAMETER;
        if (!(bytes = malloc( prop->Value.bin.cb ? prop->Value.bin.cb : 1 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        if (prop->Value.bin.cb) memcpy( bytes, prop->Value.bin.lpb, prop->Value.bin.cb );
        value->bytes = bytes;
        value->size = prop->Value.bin.cb;
        break;
    case PT_UNICODE:
        if (!prop->Value.lpszW) return MAPI_E_INVALID_PARAMETER;
        chars = wcslen( prop->Value.lpszW );
        if (!(bytes = malloc( (chars + 1) * sizeof(WCHAR) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy( bytes, prop->Value.lpszW, chars * sizeof(WCHAR) );
        value->bytes = bytes;
        value->size = chars * sizeof(WCHAR);
        break;
    case PT_STRING8:
        if (!prop->Value.lpszA) return MAPI_E_INVALID_PARAMETER;
        if (!(bytes = (BYTE *)ansi_to_unicode( prop->Value.lpszA, &chars ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        value->bytes = bytes;
        value->size = chars * sizeof(WCHAR);
        type = PT_UNICODE;
        break;
    default:
        return MAPI_E_INVALID_TYPE;
    }
    value->type = type;
    value->tag = PROP_TAG(type, PROP_ID(prop->ulPropTag));
    return S_OK;
}

HRESULT pending_set_mapi( struct pending_props *p, const SPropValue *prop, struct pst_object *obj )
{
    struct pst_value value;
    HRESULT hr;

    if (FAILED(hr = pending_value_from_mapi( prop, &value ))) return hr;
    if (FAILED(hr = pending_take( p, &value, obj ))) value_free( &value );
    return hr;
}

static BOOL tag_in( const ULONG *tags, ULONG count, ULONG id )
{
    ULONG i;

    for (i = 0; i < count; i++) if (PROP_ID(tags[i]) == id) return TRUE;
    return FALSE;
}

static void add_problem( SPropProblemArray *problems, ULONG index, ULONG tag, HRESULT error )
{
    if (!problems) return;
    problems->aProblem[problems->cProblem].ulIndex = index;
    problems->aProblem[problems->cProblem].ulPropTag = tag;
    problems->aProblem[problems->cProblem++].scode = error;
}

HRESULT pending_set_props( const struct mapi_allocators *alloc, struct pending_props *p, struct pst_object *obj,
                           const ULONG *readonly, ULONG readonly_count, ULONG count, const SPropValue *props,
                           SPropProblemArray **problems_out )
{
    SPropProblemArray *problems = NULL;
    HRESULT hr;
    ULONG i;

    if (problems_out) *problems_out = NULL;
    if (!count || !props) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++)
    {
        ULONG type = PROP_TYPE(props[i].ulPropTag);

        if (type == PT_OBJECT) return MAPI_E_INVALID_PARAMETER;
        if ((type & MV_FLAG) && !props[i].Value.MVi.cValues) return MAPI_E_INVALID_PARAMETER;
    }
    if (problems_out && FAILED(hr = alloc->allocate_buffer( CbNewSPropProblemArray(count), (void **)&problems )))
        return hr;
    if (problems) problems->cProblem = 0;
    for (i = 0; i < count; i++)
    {
        ULONG tag = props[i].ulPropTag;

        /* PR_NULL and PT_ERROR entries are skipped without a problem */
        if (tag == PR_NULL || PROP_TYPE(tag) == PT_ERROR) continue;
        if (tag_in( readonly, readonly_count, PROP_ID(tag) ))
        {
            add_problem( problems, i, tag, MAPI_E_COMPUTED );
            continue;
        }
        hr = pending_set_mapi( p, &props[i], obj );
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        {
            if (problems) alloc->free_buffer( problems );
            return hr;
        }
        if (FAILED(hr)) add_problem( problems, i, tag, hr );
    }
    if (problems && !problems->cProblem)
    {
        alloc->free_buffer( problems );
        problems = NULL;
    }
    if (problems_out) *problems_out = problems;
    return S_OK;
}

HRESULT pending_delete_props( const struct mapi_allocators *alloc, struct pending_props *p, struct pst_object *obj,
                              const ULONG *readonly, ULONG readonly_count, const SPropTagArray *tags,
                              SPropProblemArray **problems_out )
{
    SPropProblemArray *problems = NULL;
    struct pst_value stored;
    HRESULT hr;
    ULONG i;

    if (problems_out) *problems_out = NULL;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (problems_out && tags->cValues
            && FAILED(hr = alloc->allocate_buffer( CbNewSPropProblemArray(tags->cValues), (void **)&problems )))
        return hr;
    if (problems) problems->cProblem = 0;
    for (i = 0; i < tags->cValues; i++)
    {
        ULONG tag = tags->aulPropTag[i], id = PROP_ID(tag);

        if (tag_in( readonly, readonly_count, id ))
        {
            add_problem( problems, i, tag, MAPI_E_COMPUTED );
            continue;
        }
        /* a property the object does not have is documented as a problem */
        if (!pending_find( p, id ) && (!obj || pending_is_deleted( p, id )
                                       || pst_prop_get( obj, PROP_TAG(PT_UNSPECIFIED, id), &stored )))
        {
            add_problem( problems, i, tag, MAPI_E_NOT_FOUND );
            continue;
        }
        if (FAILED(hr = pending_delete( p, id, obj )))
        {
            if (problems) alloc->free_buffer( problems );
            return hr;
        }
    }
    if (problems && !problems->cProblem)
    {
        alloc->free_buffer( problems );
        problems = NULL;
    }
    if (problems_out) *problems_out = problems;
    return S_OK;
}

/* A computed SPropValue as a borrowed engine value (no MV: none are). */
static BOOL computed_value( const SPropValue *prop, struct pst_value *value, void **buffer )
{
    *buffer = NULL;
    if (PROP_TYPE(prop->ulPropTag) == PT_STRING8)
    {
        /* computed strings are Unicode but be safe */
        size_t chars;

        if (!(*buffer = ansi_to_unicode( prop->Value.lpszA, &chars ))) return FALSE;
        memset( value, 0, sizeof(*value) );
        value->tag = PROP_TAG(PT_UNICODE, PROP_ID(prop->ulPropTag));
        value->type = PT_UNICODE;
        value->bytes = *buffer;
        value->size = chars * sizeof(WCHAR);
        return TRUE;
    }
    if (FAILED(pending_value_from_mapi( prop, value ))) return FALSE;
    *buffer = (void *)value->bytes;
    return TRUE;
}

/* The value of TAG as the object shows it: computed, pending, stored. */
static int lookup( struct pst_object *obj, const struct pending_props *p, const SPropValue *computed,
                   ULONG computed_count, ULONG tag, struct pst_value *value, void **buffer )
{
    const struct pst_value *pending;
    ULONG i, id = PROP_ID(tag);
    int err;

    *buffer = NULL;
    for (i = 0; i < computed_count; i++)
        if (PROP_ID(computed[i].ulPropTag) == id)
            return computed_value( &computed[i], value, buffer ) ? PST_OK : PST_E_NOMEM;
    if ((pending = pending_find( p, id )))
    {
        *value = *pending;
        return PST_OK;
    }
    if (!obj || pending_is_deleted( p, id )) return PST_E_NOT_FOUND;
    if (PROP_TYPE(tag) != PT_UNSPECIFIED && !(err = pst_prop_get( obj, tag, value ))) return PST_OK;
    return pst_prop_get( obj, PROP_TAG(PT_UNSPECIFIED, id), value );
}

HRESULT pending_get_props( const struct mapi_allocators *alloc, struct pst_object *obj, const struct pending_props *p,
                           const SPropValue *computed, ULONG computed_count, SPropTagArray *tags, ULONG flags,
                           ULONG *count, SPropValue **props )
{
    BOOL unicode = !!(flags & MAPI_UNICODE), errors = FALSE;
    ULONG i, n = 0, stored = obj ? pst_prop_count( obj ) : 0;
    struct pst_value value;
    SPropValue *values;
    void *buffer;
    HRESULT hr;
    int err;

    if (!count || !props || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    *count = 0;
    *props = NULL;
    /* nothing pending: the read path */
    if (!p->count && !p->deleted_count)
        return props_get( alloc, obj, computed, computed_count, tags, flags, count, props );

    n = tags ? tags->cValues : computed_count + p->count + stored;
    if (!n) return S_OK;
    if (FAILED(hr = alloc->allocate_buffer( n * sizeof(SPropValue), (void **)&values ))) return hr;
    n = 0;
    if (tags)
    {
        for (i = 0; i < tags->cValues; i++)
        {
            ULONG tag = tags->aulPropTag[i];

            err = lookup( obj, p, computed, computed_count, tag, &value, &buffer );
            if (!err) hr = props_convert_value( alloc, values, &value, tag, unicode, &values[i] );
            else if (err == PST_E_NOT_FOUND || err == PST_E_TOO_BIG)
            {
                values[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
                values[i].dwAlignPad = 0;
                values[i].Value.err = hresult_from_pst( err );
                hr = S_OK;
            }
            else hr = hresult_from_pst( err );
            free( buffer );
            if (FAILED(hr)) goto fail;
            if (PROP_TYPE(values[i].ulPropTag) == PT_ERROR && PROP_TYPE(tag) != PT_ERROR) errors = TRUE;
        }
        n = tags->cValues;
    }
    else
    {
        for (i = 0; i < computed_count + p->count + stored; i++)
        {
            ULONG id;

            if (i < computed_count) id = PROP_ID(computed[i].ulPropTag);
            else if (i < computed_count + p->count)
            {
                id = PROP_ID(p->values[i - computed_count].tag);
            }
            else
            {
                if (pst_prop_get_at( obj, i - computed_count - p->count, &value )) continue;
                if (value.type == PT_OBJECT) continue;
                id = PROP_ID(value.tag);
                if (pending_find( p, id ) || pending_is_deleted( p, id )) continue;
            }
            if (i >= computed_count)
            {
                ULONG j;
                BOOL dup = FALSE;

                for (j = 0; j < computed_count; j++) if (PROP_ID(computed[j].ulPropTag) == id) dup = TRUE;
                if (dup) continue;
            }
            err = lookup( obj, p, computed, computed_count, PROP_TAG(PT_UNSPECIFIED, id), &value, &buffer );
            if (err)
            {
                free( buffer );
                if (err == PST_E_NOMEM) { hr = MAPI_E_NOT_ENOUGH_MEMORY; goto fail; }
                continue;
            }
            hr = props_convert_value( alloc, values, &value, PROP_TAG(PT_UNSPECIFIED, id), unicode, &values[n] );
            free( buffer );
            if (FAILED(hr)) goto fail;
            if (PROP_TYPE(values[n].ulPropTag) == PT_ERROR) errors = TRUE;
            n++;
        }
        if (!n)
        {
            alloc->free_buffer( values );
            return S_OK;
        }
    }
    *count = n;
    *props = values;
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;

fail:
    alloc->free_buffer( values );
    return hr;
}

HRESULT pending_get_list( const struct mapi_allocators *alloc, struct pst_object *obj, const struct pending_props *p,
                          const SPropValue *computed, ULONG computed_count, ULONG flags, SPropTagArray **tags )
{
    BOOL unicode = !!(flags & MAPI_UNICODE);
    ULONG i, j, n = 0, stored = obj ? pst_prop_count( obj ) : 0;
    struct pst_value value;
    SPropTagArray *list;
    HRESULT hr;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!p->count && !p->deleted_count) return props_get_list( alloc, obj, computed, computed_count, flags, tags );
    *tags = NULL;
    if (FAILED(hr = alloc->allocate_buffer( CbNewSPropTagArray(computed_count + p->count + stored), (void **)&list )))
        return hr;
    for (i = 0; i < computed_count + p->count + stored; i++)
    {
        ULONG type, id;
        BOOL dup = FALSE;

        if (i < computed_count)
        {
            type = PROP_TYPE(computed[i].ulPropTag);
            id = PROP_ID(computed[i].ulPropTag);
        }
        else if (i < computed_count + p->count)
        {
            type = p->values[i - computed_count].type;
            id = PROP_ID(p->values[i - computed_count].tag);
        }
        else
        {
            if (pst_prop_get_at( obj, i - computed_count - p->count, &value )) continue;
            type = value.type;
            id = PROP_ID(value.tag);
            if (pending_find( p, id ) || pending_is_deleted( p, id )) continue;
        }
        if (i >= computed_count)
            for (j = 0; j < computed_count; j++) if (PROP_ID(computed[j].ulPropTag) == id) dup = TRUE;
        if (dup) continue;
        if ((type & ~MV_FLAG) == PT_STRING8 || (type & ~MV_FLAG) == PT_UNICODE)
            type = (type & MV_FLAG) | (unicode ? PT_UNICODE : PT_STRING8);
        list->aulPropTag[n++] = PROP_TAG(type, id);
    }
    list->cValues = n;
    *tags = list;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* loading from the file                                                */

/* Reads the whole value TAG of OBJ through the engine's stream. */
static HRESULT load_big_value( struct pst_object *obj, ULONG tag, struct pst_value *value )
{
    struct pst_stream *stream;
    uint64_t size;
    size_t done = 0, read;
    BYTE *data;
    int err;

    if ((err = pst_prop_open_stream( obj, tag, &stream ))) return hresult_from_pst( err );
    size = pst_stream_size( stream );
    if (size > 0x7fffffff || !(data = malloc( size ? size : 1 )))
    {
        pst_stream_close( stream );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    while (done < size)
    {
        if ((err = pst_stream_read( stream, done, data + done, size - done, &read )) || !read)
        {
            free( data );
            pst_stream_close( stream );
            return err ? hresult_from_pst( err ) : MAPI_E_CORRUPT_DATA;
        }
        done += read;
    }
    pst_stream_close( stream );
    memset( value, 0, sizeof(*value) );
    value->tag = tag;
    value->type = PROP_TYPE(tag);
    value->bytes = data;
    value->size = size;
    return S_OK;
}

/* Copies every property of OBJ into P except objects and what SKIP says
 * (the engine's own bookkeeping). */
static HRESULT load_object( struct pst_object *obj, struct pending_props *p )
{
    ULONG i, count = pst_prop_count( obj );
    struct pst_value value;
    HRESULT hr;
    int err;

    for (i = 0; i < count; i++)
    {
        if ((err = pst_prop_get_at( obj, i, &value )))
        {
            /* which tag?  the i-th in order: find it by walking again is
             * not possible, so values too big to load come by stream */
            if (err != PST_E_TOO_BIG) return hresult_from_pst( err );
            continue;
        }
        if (value.type == PT_OBJECT) continue;
        if (FAILED(hr = pending_set_value( p, &value, NULL ))) return hr;
    }
    return S_OK;
}

static HRESULT load_big_values( struct pst_object *obj, struct pending_props *p, const ULONG *tags, ULONG count )
{
    struct pst_value value;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < count; i++)
    {
        if (pending_find( p, PROP_ID(tags[i]) )) continue;
        if (pst_prop_get( obj, tags[i], &value ) != PST_E_TOO_BIG) continue;
        if (FAILED(hr = load_big_value( obj, tags[i], &value ))) return hr;
        if (FAILED(hr = pending_take( p, &value, NULL )))
        {
            value_free( &value );
            return hr;
        }
    }
    return S_OK;
}

/* PR_HTML (0x1013) as binary, and the bodies: the values big enough to be streamed */
static const ULONG big_message_tags[] = { PR_BODY_W, PROP_TAG(PT_BINARY, 0x1013), PR_RTF_COMPRESSED };
static const ULONG big_attach_tags[] = { PR_ATTACH_DATA_BIN };

void pending_message_free( struct pending_message *m )
{
    struct pending_attach *attach, *next;
    ULONG i;

    if (!m) return;
    pending_props_clear( &m->props );
    for (i = 0; i < m->recipient_count; i++) pending_props_clear( &m->recipients[i] );
    free( m->recipients );
    m->recipients = NULL;
    m->recipient_count = 0;
    m->recipients_set = FALSE;
    if (m->attachments_set)
    {
        LIST_FOR_EACH_ENTRY_SAFE( attach, next, &m->attachments, struct pending_attach, entry )
        {
            list_remove( &attach->entry );
            pending_attach_free( attach );
        }
    }
    m->attachments_set = FALSE;
}

void pending_attach_free( struct pending_attach *attach )
{
    if (!attach) return;
    pending_props_clear( &attach->props );
    if (attach->embedded)
    {
        pending_message_free( attach->embedded );
        free( attach->embedded );
    }
    free( attach );
}

/* The recipient rows of MSG, each with PR_ROWID = its position. */
HRESULT pending_load_recipients( struct pst_object *msg, struct pending_message *m )
{
    struct pst_table *tc = NULL;
    struct pst_column column;
    struct pst_value value;
    ULONG row, i, rows, columns;
    HRESULT hr = S_OK;
    int err;

    if (m->recipients_set) return S_OK;
    if (msg && (err = pst_message_open_table( msg, PST_NID_RECIPIENT_TABLE, &tc )) && err != PST_E_NOT_FOUND)
        return hresult_from_pst( err );
    rows = tc ? pst_table_row_count( tc ) : 0;
    columns = tc ? pst_table_column_count( tc ) : 0;
    if (rows && !(m->recipients = calloc( rows, sizeof(*m->recipients) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (row = 0; SUCCEEDED(hr) && row < rows; row++)
    {
        m->recipient_count++;
        for (i = 0; SUCCEEDED(hr) && i < columns; i++)
        {
            if (pst_table_column( tc, i, &column )) continue;
            if (column.tag == PST_PR_LTP_ROW_ID || column.tag == PST_PR_LTP_ROW_VER || column.tag == PR_ROWID)
                continue;
            if ((err = pst_table_get_cell( tc, row, column.tag, &value )))
            {
                if (err != PST_E_NOT_FOUND) hr = hresult_from_pst( err );
                continue;
            }
            hr = pending_set_value( &m->recipients[row], &value, NULL );
        }
        if (SUCCEEDED(hr))
        {
            memset( &value, 0, sizeof(value) );
            value.tag = PR_ROWID;
            value.type = PT_LONG;
            value.u.l = row;
            hr = pending_set_value( &m->recipients[row], &value, NULL );
        }
    }
    if (tc) pst_table_close( tc );
    if (FAILED(hr))
    {
        for (i = 0; i < m->recipient_count; i++) pending_props_clear( &m->recipients[i] );
        free( m->recipients );
        m->recipients = NULL;
        m->recipient_count = 0;
        return hr;
    }
    m->next_rowid = m->recipient_count;
    m->recipients_set = TRUE;
    return S_OK;
}

static HRESULT load_message( struct pst_object *msg, struct pending_message *m );

/* Every attachment of MSG, whole, with its embedded message. */
HRESULT pending_load_attachments( struct pst_object *msg, struct pending_message *m )
{
    struct pst_table *tc = NULL;
    struct pst_object *att, *embedded;
    struct pending_attach *attach;
    struct pst_value value;
    uint32_t row, rows, nid;
    HRESULT hr = S_OK;
    int err;

    if (m->attachments_set) return S_OK;
    list_init( &m->attachments );
    m->attachments_set = TRUE;
    if (msg && (err = pst_message_open_table( msg, PST_NID_ATTACHMENT_TABLE, &tc )) && err != PST_E_NOT_FOUND)
        hr = hresult_from_pst( err );
    rows = tc ? pst_table_row_count( tc ) : 0;
    for (row = 0; SUCCEEDED(hr) && row < rows; row++)
    {
        if ((err = pst_table_row_id( tc, row, &nid )) || (err = pst_message_open_attachment( msg, nid, &att )))
        {
            hr = hresult_from_pst( err );
            break;
        }
        if (!(attach = calloc( 1, sizeof(*attach) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else
        {
            attach->num = nid;
            list_add_tail( &m->attachments, &attach->entry );
            if (SUCCEEDED(hr = load_object( att, &attach->props )))
                hr = load_big_values( att, &attach->props, big_attach_tags, ARRAY_SIZE(big_attach_tags) );
            if (SUCCEEDED(hr) && !pst_prop_get( att, PR_ATTACH_METHOD, &value ) && value.u.l == ATTACH_EMBEDDED_MSG
                    && !pst_attachment_open_message( att, &embedded ))
            {
                if (!(attach->embedded = calloc( 1, sizeof(*attach->embedded) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
                else hr = load_message( embedded, attach->embedded );
                pst_object_close( embedded );
            }
        }
        pst_object_close( att );
        if (nid >= m->next_num) m->next_num = nid + 1;
    }
    if (tc) pst_table_close( tc );
    if (FAILED(hr)) pending_message_free( m );
    return hr;
}

/* The whole of MSG: properties, recipients and attachments. */
static HRESULT load_message( struct pst_object *msg, struct pending_message *m )
{
    HRESULT hr;

    memset( m, 0, sizeof(*m) );
    list_init( &m->attachments );
    if (FAILED(hr = load_object( msg, &m->props ))
            || FAILED(hr = load_big_values( msg, &m->props, big_message_tags, ARRAY_SIZE(big_message_tags) ))
            || FAILED(hr = pending_load_recipients( msg, m ))
            || FAILED(hr = pending_load_attachments( msg, m )))
        pending_message_free( m );
    return hr;
}

/* The stored properties of MSG under the pending ones: a message that is
 * replaced whole keeps what was not changed. */
HRESULT pending_load_stored_props( struct pst_object *msg, struct pending_props *p )
{
    struct pending_props stored;
    HRESULT hr;
    ULONG i;

    memset( &stored, 0, sizeof(stored) );
    if (FAILED(hr = load_object( msg, &stored ))
            || FAILED(hr = load_big_values( msg, &stored, big_message_tags, ARRAY_SIZE(big_message_tags) )))
    {
        pending_props_clear( &stored );
        return hr;
    }
    for (i = 0; i < stored.count; i++)
    {
        ULONG id = PROP_ID(stored.values[i].tag);

        if (pending_find( p, id ) || pending_is_deleted( p, id )) continue;
        if (FAILED(hr = pending_set_value( p, &stored.values[i], NULL ))) break;
    }
    pending_props_clear( &stored );
    if (SUCCEEDED(hr))
    {
        free( p->deleted );
        p->deleted = NULL;
        p->deleted_count = 0;
    }
    return hr;
}

HRESULT pending_message_copy( struct pending_message *dst, const struct pending_message *src )
{
    struct pending_attach *attach, *copy;
    HRESULT hr;
    ULONG i;

    memset( dst, 0, sizeof(*dst) );
    list_init( &dst->attachments );
    dst->next_num = src->next_num;
    dst->next_rowid = src->next_rowid;
    if (FAILED(hr = pending_props_copy( &dst->props, &src->props ))) return hr;
    if (src->recipients_set)
    {
        dst->recipients_set = TRUE;
        if (src->recipient_count && !(dst->recipients = calloc( src->recipient_count, sizeof(*dst->recipients) )))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; SUCCEEDED(hr) && i < src->recipient_count; i++)
        {
            if (SUCCEEDED(hr = pending_props_copy( &dst->recipients[i], &src->recipients[i] )))
                dst->recipient_count++;
        }
    }
    if (SUCCEEDED(hr) && src->attachments_set)
    {
        dst->attachments_set = TRUE;
        LIST_FOR_EACH_ENTRY( attach, &src->attachments, struct pending_attach, entry )
        {
            if (FAILED(hr = pending_attach_copy( attach, &copy ))) break;
            list_add_tail( &dst->attachments, &copy->entry );
        }
    }
    if (FAILED(hr)) pending_message_free( dst );
    return hr;
}

HRESULT pending_attach_copy( const struct pending_attach *src, struct pending_attach **out )
{
    struct pending_attach *attach;
    HRESULT hr;

    *out = NULL;
    if (!(attach = calloc( 1, sizeof(*attach) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    attach->num = src->num;
    if (FAILED(hr = pending_props_copy( &attach->props, &src->props )))
    {
        free( attach );
        return hr;
    }
    if (src->embedded)
    {
        if (!(attach->embedded = malloc( sizeof(*attach->embedded) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else if (FAILED(hr = pending_message_copy( attach->embedded, src->embedded )))
        {
            free( attach->embedded );
            attach->embedded = NULL;
        }
        if (FAILED(hr))
        {
            pending_attach_free( attach );
            return hr;
        }
    }
    *out = attach;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* handing a message to the writer                                      */

struct build_storage
{
    void **blocks;
    ULONG count;
};

static void *storage_alloc( struct build_storage *s, size_t size )
{
    void **tmp, *block;

    if (!(block = calloc( 1, size ? size : 1 ))) return NULL;
    if (!(tmp = realloc( s->blocks, (s->count + 1) * sizeof(*tmp) )))
    {
        free( block );
        return NULL;
    }
    s->blocks = tmp;
    s->blocks[s->count++] = block;
    return block;
}

void pending_build_free( void *storage )
{
    struct build_storage *s = storage;
    ULONG i;

    if (!s) return;
    for (i = 0; i < s->count; i++) free( s->blocks[i] );
    free( s->blocks );
    free( s );
}

static BOOL skip_on_save( ULONG tag )
{
    /* the engine computes these */
    return PROP_ID(tag) == PROP_ID(PR_MESSAGE_SIZE) || tag == PST_PR_LTP_ROW_ID || tag == PST_PR_LTP_ROW_VER;
}

static HRESULT build_propset( struct build_storage *s, const struct pending_props *p, struct pst_propset *set,
                              const struct pst_value *extra, ULONG extra_count )
{
    struct pst_value *values;
    ULONG i, n = 0;

    if (!(values = storage_alloc( s, (p->count + extra_count) * sizeof(*values) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < extra_count; i++) values[n++] = extra[i];
    for (i = 0; i < p->count; i++)
    {
        ULONG j;
        BOOL dup = FALSE;

        if (skip_on_save( p->values[i].tag ) || p->values[i].type == PT_OBJECT) continue;
        for (j = 0; j < extra_count; j++) if (PROP_ID(extra[j].tag) == PROP_ID(p->values[i].tag)) dup = TRUE;
        if (!dup) values[n++] = p->values[i];
    }
    set->props = values;
    set->count = n;
    return S_OK;
}

static HRESULT build_message( struct build_storage *s, const struct pending_message *m,
                              struct pst_message_data *data )
{
    const struct pending_attach *attach;
    struct pst_attachment_data *atts;
    struct pst_propset *recips;
    struct pst_value extra;
    const struct pst_value *flags;
    ULONG i, n = 0;
    HRESULT hr;

    memset( data, 0, sizeof(*data) );
    /* MSGFLAG_HASATTACH follows the attachments */
    memset( &extra, 0, sizeof(extra) );
    extra.tag = PR_MESSAGE_FLAGS;
    extra.type = PT_LONG;
    if ((flags = pending_find( &m->props, PROP_ID(PR_MESSAGE_FLAGS) )) && flags->type == PT_LONG)
        extra.u.l = flags->u.l;
    extra.u.l &= ~(MSGFLAG_HASATTACH | MSGFLAG_ASSOCIATED);
    if (m->attachments_set && !list_empty( &m->attachments )) extra.u.l |= MSGFLAG_HASATTACH;
    if (FAILED(hr = build_propset( s, &m->props, &data->props, &extra, 1 ))) return hr;

    if (m->recipient_count)
    {
        if (!(recips = storage_alloc( s, m->recipient_count * sizeof(*recips) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; i < m->recipient_count; i++)
        {
            /* row IDs are the positions, as the table shows them after a reload */
            memset( &extra, 0, sizeof(extra) );
            extra.tag = PR_ROWID;
            extra.type = PT_LONG;
            extra.u.l = i;
            if (FAILED(hr = build_propset( s, &m->recipients[i], &recips[i], &extra, 1 ))) return hr;
        }
        data->recipients = recips;
        data->recipient_count = m->recipient_count;
    }
    if (m->attachments_set && (n = list_count( &m->attachments )))
    {
        if (!(atts = storage_alloc( s, n * sizeof(*atts) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
        i = 0;
        LIST_FOR_EACH_ENTRY( attach, &m->attachments, struct pending_attach, entry )
        {
            const struct pst_value *method = pending_find( &attach->props, PROP_ID(PR_ATTACH_METHOD) );

            if (FAILED(hr = build_propset( s, &attach->props, &atts[i].props, NULL, 0 ))) return hr;
            if (attach->embedded && method && method->type == PT_LONG && method->u.l == ATTACH_EMBEDDED_MSG)
            {
                struct pst_message_data *embedded;

                if (!(embedded = storage_alloc( s, sizeof(*embedded) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
                if (FAILED(hr = build_message( s, attach->embedded, embedded ))) return hr;
                atts[i].embedded = embedded;
            }
            i++;
        }
        data->attachments = atts;
        data->attachment_count = n;
    }
    return S_OK;
}

HRESULT pending_build( const struct pending_message *m, struct pst_message_data *data, void **storage )
{
    struct build_storage *s;
    HRESULT hr;

    TRACE( "%lu properties, %lu recipients.\n", m->props.count, m->recipient_count );
    if (!(s = calloc( 1, sizeof(*s) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = build_message( s, m, data )))
    {
        pending_build_free( s );
        return hr;
    }
    *storage = s;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* tables of pending rows                                               */

/* A table of ROWS (recipients or attachments), led by KEY and
 * PR_INSTANCE_KEY, whose key values are KEYS.  Big and object values stay
 * out, as in the tables of stored messages. */
HRESULT pending_table( struct store_logon *logon, const struct pending_props *const *rows, const ULONG *keys,
                       ULONG count, ULONG key, ULONG flags, IMAPITable **out )
{
    const struct mapi_allocators *alloc = &logon->alloc;
    BOOL unicode = !!(flags & MAPI_UNICODE);
    SPropTagArray *tags = NULL;
    SPropValue *values = NULL;
    ULONG i, j, k, n = 2, max = 2;
    ITableData *data;
    HRESULT hr;
    SRow srow;

    for (i = 0; i < count; i++) max += rows[i]->count;
    if (!(tags = malloc( CbNewSPropTagArray(max) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    tags->aulPropTag[0] = key;
    tags->aulPropTag[1] = PR_INSTANCE_KEY;
    for (i = 0; i < count; i++)
    {
        for (j = 0; j < rows[i]->count; j++)
        {
            const struct pst_value *v = &rows[i]->values[j];
            ULONG type = v->type, id = PROP_ID(v->tag);

            if (id == PROP_ID(key) || id == PROP_ID(PR_INSTANCE_KEY) || type == PT_OBJECT
                    || v->tag == PR_ATTACH_DATA_BIN) continue;
            if ((type & ~MV_FLAG) == PT_UNICODE || (type & ~MV_FLAG) == PT_STRING8)
                type = (type & MV_FLAG) | (unicode ? PT_UNICODE : PT_STRING8);
            for (k = 0; k < n; k++) if (PROP_ID(tags->aulPropTag[k]) == id) break;
            if (k == n) tags->aulPropTag[n++] = PROP_TAG(type, id);
        }
    }
    tags->cValues = n;
    if (FAILED(hr = CreateTable( &IID_IMAPITableData, alloc->allocate_buffer, alloc->allocate_more,
                                 alloc->free_buffer, NULL, TBLTYPE_SNAPSHOT, key, tags, &data )))
    {
        free( tags );
        return hr;
    }
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        ULONG c = 0;

        if (FAILED(hr = alloc->allocate_buffer( n * sizeof(SPropValue), (void **)&values ))) break;
        values[c].ulPropTag = key;
        values[c++].Value.l = keys[i];
        values[c].ulPropTag = PR_INSTANCE_KEY;
        if (FAILED(hr = alloc->allocate_more( sizeof(ULONG), values, (void **)&values[c].Value.bin.lpb ))) break;
        memcpy( values[c].Value.bin.lpb, &keys[i], sizeof(ULONG) );
        values[c++].Value.bin.cb = sizeof(ULONG);
        for (k = 2; k < n; k++)
        {
            const struct pst_value *v = pending_find( rows[i], PROP_ID(tags->aulPropTag[k]) );

            if (!v) continue;
            if (FAILED(hr = props_convert_value( alloc, values, v, tags->aulPropTag[k], unicode, &values[c] ))) break;
            if (PROP_TYPE(values[c].ulPropTag) != PT_ERROR) c++;
        }
        if (FAILED(hr)) break;
        srow.ulAdrEntryPad = 0;
        srow.cValues = c;
        srow.lpProps = values;
        hr = ITableData_HrModifyRow( data, &srow );
        alloc->free_buffer( values );
        values = NULL;
    }
    if (values) alloc->free_buffer( values );
    free( tags );
    if (SUCCEEDED(hr)) hr = table_view_create( logon, data, out );
    ITableData_Release( data );
    return hr;
}

/* ------------------------------------------------------------------ */
/* writable streams                                                     */

/* OpenProperty with MAPI_MODIFY / MAPI_CREATE: a stream over a copy of the
 * value in memory.  Commit hands the bytes to the object's pending state
 * (it reaches the file with the object's SaveChanges); Revert and a Release
 * without Commit drop what was written. */
struct wstream
{
    IStream IStream_iface;
    LONG refcount;
    struct store_child child;
    BYTE *data;
    size_t size, capacity;
    ULONGLONG position;
    IUnknown *owner;
    ULONG tag;
    HRESULT (*commit)(IUnknown *owner, ULONG tag, const void *data, size_t size);
};

static inline struct wstream *impl_from_wstream( IStream *iface )
{
    return CONTAINING_RECORD( iface, struct wstream, IStream_iface );
}

static HRESULT WINAPI wstream_QueryInterface( IStream *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return E_POINTER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_ISequentialStream )
            || IsEqualGUID( riid, &IID_IStream ))
    {
        *out = iface;
        IStream_AddRef( iface );
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI wstream_AddRef( IStream *iface )
{
    struct wstream *stream = impl_from_wstream( iface );
    ULONG refcount = InterlockedIncrement( &stream->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI wstream_Release( IStream *iface )
{
    struct wstream *stream = impl_from_wstream( iface );
    ULONG refcount = InterlockedDecrement( &stream->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        store_child_destroy( &stream->child );
        IUnknown_Release( stream->owner );
        free( stream->data );
        free( stream );
    }
    return refcount;
}

static BOOL wstream_enter( struct wstream *stream )
{
    return store_child_enter( &stream->child );
}

static HRESULT wstream_reserve( struct wstream *stream, ULONGLONG size )
{
    size_t capacity;
    BYTE *tmp;

    if (size <= stream->capacity) return S_OK;
    if (size > 0x7fffffff) return STG_E_MEDIUMFULL;
    capacity = max( size, stream->capacity * 2 );
    if (capacity > 0x7fffffff) capacity = size;
    if (!(tmp = realloc( stream->data, capacity ))) return STG_E_INSUFFICIENTMEMORY;
    stream->data = tmp;
    stream->capacity = capacity;
    return S_OK;
}

static HRESULT WINAPI wstream_Read( IStream *iface, void *buffer, ULONG size, ULONG *read )
{
    struct wstream *stream = impl_from_wstream( iface );
    ULONG count = 0;

    TRACE( "%p, %p, %lu, %p.\n", iface, buffer, size, read );

    if (!wstream_enter( stream )) return STG_E_REVERTED;
    if (!buffer) { store_child_leave( &stream->child ); return STG_E_INVALIDPOINTER; }
    if (stream->position < stream->size) count = min( size, stream->size - stream->position );
    memcpy( buffer, stream->data + stream->position, count );
    stream->position += count;
    store_child_leave( &stream->child );
    if (read) *read = count;
    return S_OK;
}

static HRESULT WINAPI wstream_Write( IStream *iface, const void *buffer, ULONG size, ULONG *written )
{
    struct wstream *stream = impl_from_wstream( iface );
    HRESULT hr;

    TRACE( "%p, %p, %lu, %p.\n", iface, buffer, size, written );

    if (written) *written = 0;
    if (!wstream_enter( stream )) return STG_E_REVERTED;
    if (!buffer && size) hr = STG_E_INVALIDPOINTER;
    else if (SUCCEEDED(hr = wstream_reserve( stream, stream->position + size )))
    {
        /* writing past the end fills the gap with zeros */
        if (stream->position > stream->size) memset( stream->data + stream->size, 0, stream->position - stream->size );
        memcpy( stream->data + stream->position, buffer, size );
        stream->position += size;
        if (stream->position > stream->size) stream->size = stream->position;
        if (written) *written = size;
    }
    store_child_leave( &stream->child );
    return hr;
}

static HRESULT WINAPI wstream_Seek( IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_position )
{
    struct wstream *stream = impl_from_wstream( iface );
    LONGLONG base;
    HRESULT hr = S_OK;

    TRACE( "%p, %s, %lu, %p.\n", iface, wine_dbgstr_longlong(move.QuadPart), origin, new_position );

    if (!wstream_enter( stream )) return STG_E_REVERTED;
    switch (origin)
    {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = stream->position; break;
    case STREAM_SEEK_END: base = stream->size; break;
    default: hr = STG_E_INVALIDFUNCTION; base = 0; break;
    }
    if (SUCCEEDED(hr) && base + move.QuadPart < 0) hr = STG_E_INVALIDFUNCTION;
    if (SUCCEEDED(hr)) stream->position = base + move.QuadPart;
    if (SUCCEEDED(hr) && new_position) new_position->QuadPart = stream->position;
    store_child_leave( &stream->child );
    return hr;
}

static HRESULT WINAPI wstream_SetSize( IStream *iface, ULARGE_INTEGER size )
{
    struct wstream *stream = impl_from_wstream( iface );
    HRESULT hr;

    TRACE( "%p, %s.\n", iface, wine_dbgstr_longlong(size.QuadPart) );

    if (!wstream_enter( stream )) return STG_E_REVERTED;
    if (SUCCEEDED(hr = wstream_reserve( stream, size.QuadPart )))
    {
        if (size.QuadPart > stream->size) memset( stream->data + stream->size, 0, size.QuadPart - stream->size );
        stream->size = size.QuadPart;
    }
    store_child_leave( &stream->child );
    return hr;
}

static HRESULT WINAPI wstream_CopyTo( IStream *iface, IStream *dest, ULARGE_INTEGER size, ULARGE_INTEGER *read,
                                      ULARGE_INTEGER *written )
{
    BYTE buffer[65536];
    ULONGLONG left = size.QuadPart, total_read = 0, total_written = 0;
    HRESULT hr = S_OK;

    TRACE( "%p, %p, %s, %p, %p.\n", iface, dest, wine_dbgstr_longlong(size.QuadPart), read, written );

    if (!dest) return STG_E_INVALIDPOINTER;
    while (left)
    {
        ULONG got, put;

        if (FAILED(hr = IStream_Read( iface, buffer, min( left, sizeof(buffer) ), &got )) || !got) break;
        total_read += got;
        if (FAILED(hr = IStream_Write( dest, buffer, got, &put ))) break;
        total_written += put;
        left -= got;
    }
    if (read) read->QuadPart = total_read;
    if (written) written->QuadPart = total_written;
    return hr;
}

static HRESULT WINAPI wstream_Commit( IStream *iface, DWORD flags )
{
    struct wstream *stream = impl_from_wstream( iface );
    HRESULT hr;

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!wstream_enter( stream )) return STG_E_REVERTED;
    store_child_leave( &stream->child );
    /* the owner takes its own lock */
    hr = stream->commit( stream->owner, stream->tag, stream->data, stream->size );
    return hr;
}

static HRESULT WINAPI wstream_Revert( IStream *iface )
{
    struct wstream *stream = impl_from_wstream( iface );

    TRACE( "%p.\n", iface );

    if (!wstream_enter( stream )) return STG_E_REVERTED;
    store_child_leave( &stream->child );
    return S_OK;
}

static HRESULT WINAPI wstream_LockRegion( IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type )
{
    TRACE( "%p.\n", iface );
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI wstream_UnlockRegion( IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type )
{
    TRACE( "%p.\n", iface );
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI wstream_Stat( IStream *iface, STATSTG *stat, DWORD flags )
{
    struct wstream *stream = impl_from_wstream( iface );

    TRACE( "%p, %p, %#lx.\n", iface, stat, flags );

    if (!stat) return STG_E_INVALIDPOINTER;
    if (!wstream_enter( stream )) return STG_E_REVERTED;
    memset( stat, 0, sizeof(*stat) );
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = stream->size;
    stat->grfMode = STGM_READWRITE;
    store_child_leave( &stream->child );
    return S_OK;
}

static HRESULT WINAPI wstream_Clone( IStream *iface, IStream **out )
{
    TRACE( "%p, %p.\n", iface, out );
    if (out) *out = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl wstream_vtbl =
{
    wstream_QueryInterface,
    wstream_AddRef,
    wstream_Release,
    wstream_Read,
    wstream_Write,
    wstream_Seek,
    wstream_SetSize,
    wstream_CopyTo,
    wstream_Commit,
    wstream_Revert,
    wstream_LockRegion,
    wstream_UnlockRegion,
    wstream_Stat,
    wstream_Clone,
};

HRESULT wstream_create( struct store_logon *logon, const void *data, size_t size,
                        HRESULT (*commit)(IUnknown *owner, ULONG tag, const void *data, size_t size),
                        IUnknown *owner, ULONG tag, IStream **out )
{
    struct wstream *stream;

    if (!(stream = calloc( 1, sizeof(*stream) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (size && !(stream->data = malloc( size )))
    {
        free( stream );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (size) memcpy( stream->data, data, size );
    stream->size = stream->capacity = size;
    stream->IStream_iface.lpVtbl = &wstream_vtbl;
    stream->refcount = 1;
    stream->owner = owner;
    IUnknown_AddRef( owner );
    stream->tag = tag;
    stream->commit = commit;
    store_child_init( &stream->child, logon, NULL );
    *out = &stream->IStream_iface;
    return S_OK;
}
