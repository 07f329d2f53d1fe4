/*
 * winepst: engine property values as MAPI properties, and named properties
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
 * RULES (imapiprop-getprops.md, imapiprop-getproplist.md)
 *
 * - A requested type is returned exactly, or the entry is PT_ERROR.  The
 *   only conversion is between PT_STRING8 and PT_UNICODE (and their MV
 *   forms), through the ANSI code page, as MAPI's stores do.
 * - PT_UNSPECIFIED, and GetProps with no tag list, give the stored type,
 *   except that strings come as PT_UNICODE with MAPI_UNICODE and as
 *   PT_STRING8 without it: the documented case where "GetProps cannot
 *   determine the string type".
 * - Missing properties, type mismatches and empty multi-valued properties
 *   (which GetProps must never return) are PT_ERROR / MAPI_E_NOT_FOUND.
 *   PT_OBJECT properties are opened with OpenProperty: GetPropList lists
 *   them, GetProps(NULL) leaves them out, asking for one explicitly gives
 *   PT_ERROR / MAPI_E_NO_SUPPORT.
 * - Values bigger than PROPS_MAX_VALUE bytes as stored, and values the
 *   engine refuses to load at once (PST_E_TOO_BIG), are PT_ERROR /
 *   MAPI_E_NOT_ENOUGH_MEMORY: the documented signal to use OpenProperty.
 *   The limit bounds what one GetProps call can make us allocate (a client
 *   asking for everything of a message with big attachments' data).
 * - Errors in PT_ERROR entries keep the requested property ID.
 */

#include "winepst_private.h"
#include "mapiguid.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

static BOOL is_string_type( ULONG type )
{
    type &= ~MV_FLAG;
    return type == PT_STRING8 || type == PT_UNICODE;
}

/* The type a stored value is returned with when the caller did not say. */
static ULONG unspecified_type( ULONG stored, BOOL unicode )
{
    if (is_string_type( stored )) return (stored & MV_FLAG) | (unicode ? PT_UNICODE : PT_STRING8);
    return stored;
}

static HRESULT copy_bytes( const struct mapi_allocators *alloc, void *parent, const void *data, size_t size,
                           void **out )
{
    HRESULT hr;

    if (FAILED(hr = alloc->allocate_more( size ? size : 1, parent, out ))) return hr;
    if (size) memcpy( *out, data, size );
    return S_OK;
}

/* One single-valued element, converted to the single-valued type TYPE. */
static HRESULT convert_scalar( const struct mapi_allocators *alloc, void *parent, const struct pst_value *value,
                               ULONG type, union _PV *out )
{
    ULONG stored = value->type;
    HRESULT hr;
    int len;

    if (type != stored && !(is_string_type( type ) && is_string_type( stored ))) return MAPI_E_NOT_FOUND;

    switch (type)
    {
    case PT_I2:       out->i = value->u.i2; return S_OK;
    case PT_LONG:     out->l = value->u.l; return S_OK;
    case PT_R4:       out->flt = value->u.r4; return S_OK;
    case PT_DOUBLE:   out->dbl = value->u.dbl; return S_OK;
    case PT_APPTIME:  out->at = value->u.dbl; return S_OK;
    case PT_CURRENCY: out->cur.int64 = value->u.i8; return S_OK;
    case PT_ERROR:    out->err = value->u.err; return S_OK;
    case PT_BOOLEAN:  out->b = value->u.boolean ? TRUE : FALSE; return S_OK;
    case PT_I8:       out->li.QuadPart = value->u.i8; return S_OK;
    case PT_SYSTIME:
        out->ft.dwLowDateTime = (DWORD)value->u.i8;
        out->ft.dwHighDateTime = (DWORD)((UINT64)value->u.i8 >> 32);
        return S_OK;
    case PT_CLSID:
        if (value->size != sizeof(GUID)) return MAPI_E_CORRUPT_DATA;
        return copy_bytes( alloc, parent, value->bytes, sizeof(GUID), (void **)&out->lpguid );
    case PT_BINARY:
    case PST_PT_SVREID:
        out->bin.cb = value->size;
        return copy_bytes( alloc, parent, value->bytes, value->size, (void **)&out->bin.lpb );
    case PT_UNICODE:
        if (stored == PT_UNICODE)
        {
            size_t chars = value->size / sizeof(WCHAR);

            if (FAILED(hr = alloc->allocate_more( (chars + 1) * sizeof(WCHAR), parent, (void **)&out->lpszW )))
                return hr;
            memcpy( out->lpszW, value->bytes, chars * sizeof(WCHAR) );
            out->lpszW[chars] = 0;
            return S_OK;
        }
        len = value->size ? MultiByteToWideChar( CP_ACP, 0, (const char *)value->bytes, value->size, NULL, 0 ) : 0;
        if (FAILED(hr = alloc->allocate_more( (len + 1) * sizeof(WCHAR), parent, (void **)&out->lpszW ))) return hr;
        if (len) MultiByteToWideChar( CP_ACP, 0, (const char *)value->bytes, value->size, out->lpszW, len );
        out->lpszW[len] = 0;
        return S_OK;
    case PT_STRING8:
        if (stored == PT_STRING8)
        {
            if (FAILED(hr = alloc->allocate_more( value->size + 1, parent, (void **)&out->lpszA ))) return hr;
            memcpy( out->lpszA, value->bytes, value->size );
            out->lpszA[value->size] = 0;
            return S_OK;
        }
        len = value->size >= sizeof(WCHAR) ? WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)value->bytes,
                                                                  value->size / sizeof(WCHAR), NULL, 0, NULL, NULL ) : 0;
        if (FAILED(hr = alloc->allocate_more( len + 1, parent, (void **)&out->lpszA ))) return hr;
        if (len) WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)value->bytes, value->size / sizeof(WCHAR),
                                      out->lpszA, len, NULL, NULL );
        out->lpszA[len] = 0;
        return S_OK;
    }
    /* PT_NULL, PT_OBJECT, restrictions, rule actions: nothing a value can hold */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT convert_multi( const struct mapi_allocators *alloc, void *parent, const struct pst_value *value,
                              ULONG type, union _PV *out )
{
    ULONG base = type & ~MV_FLAG, elem_size;
    struct pst_value elem;
    union _PV one;
    uint32_t count, i;
    BYTE *array;
    HRESULT hr;

    if (type != value->type && !(is_string_type( type ) && is_string_type( value->type ))) return MAPI_E_NOT_FOUND;
    if (pst_value_mv_count( value, &count )) return MAPI_E_CORRUPT_DATA;
    /* GetProps never returns a multi-valued property without values */
    if (!count) return MAPI_E_NOT_FOUND;

    switch (base)
    {
    case PT_I2:       elem_size = sizeof(one.i); break;
    case PT_LONG:     elem_size = sizeof(one.l); break;
    case PT_R4:       elem_size = sizeof(one.flt); break;
    case PT_DOUBLE:   elem_size = sizeof(one.dbl); break;
    case PT_APPTIME:  elem_size = sizeof(one.at); break;
    case PT_CURRENCY: elem_size = sizeof(one.cur); break;
    case PT_I8:       elem_size = sizeof(one.li); break;
    case PT_SYSTIME:  elem_size = sizeof(one.ft); break;
    case PT_CLSID:    elem_size = sizeof(GUID); break;
    case PT_BINARY:   elem_size = sizeof(one.bin); break;
    case PT_STRING8:  elem_size = sizeof(one.lpszA); break;
    case PT_UNICODE:  elem_size = sizeof(one.lpszW); break;
    default:          return MAPI_E_NO_SUPPORT;
    }
    if (FAILED(hr = alloc->allocate_more( count * elem_size, parent, (void **)&array ))) return hr;
    for (i = 0; i < count; i++)
    {
        if (pst_value_mv_get( value, i, &elem )) return MAPI_E_CORRUPT_DATA;
        if (base == PT_CLSID)
        {
            /* the MV array holds the GUIDs themselves */
            if (elem.size != sizeof(GUID)) return MAPI_E_CORRUPT_DATA;
            memcpy( array + i * elem_size, elem.bytes, sizeof(GUID) );
            continue;
        }
        if (FAILED(hr = convert_scalar( alloc, parent, &elem, base, &one ))) return hr;
        memcpy( array + i * elem_size, &one, elem_size );
    }
    /* every SXxxArray is { ULONG cValues; T *lpXxx; } */
    out->MVi.cValues = count;
    out->MVi.lpi = (SHORT *)array;
    return S_OK;
}

/* Stored subjects may begin with a marker: SOH and a character giving the
 * length of the prefix ("RE: "), which MAPI's stores never hand out. */
static void strip_subject_marker( struct pst_value *value )
{
    if (value->type == PT_UNICODE && value->size >= 4 && value->bytes[0] == 1 && !value->bytes[1])
    {
        value->bytes += 4;
        value->size -= 4;
    }
    else if (value->type == PT_STRING8 && value->size >= 2 && value->bytes[0] == 1)
    {
        value->bytes += 2;
        value->size -= 2;
    }
}

HRESULT props_convert_value( const struct mapi_allocators *alloc, void *parent, const struct pst_value *stored,
                             ULONG tag, BOOL unicode, SPropValue *out )
{
    struct pst_value copy = *stored, *value = &copy;
    ULONG type = PROP_TYPE(tag);
    HRESULT hr;

    if (PROP_ID(tag) == PROP_ID(PR_SUBJECT_W)) strip_subject_marker( value );
    if (type == PT_UNSPECIFIED) type = unspecified_type( value->type, unicode );
    out->dwAlignPad = 0;
    if (type == PT_OBJECT || value->type == PT_OBJECT) hr = value->type == PT_OBJECT ? MAPI_E_NO_SUPPORT
                                                                                      : MAPI_E_NOT_FOUND;
    else if ((type & MV_FLAG) != (value->type & MV_FLAG)) hr = MAPI_E_NOT_FOUND;
    else if (value->size > PROPS_MAX_VALUE) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (type & MV_FLAG) hr = convert_multi( alloc, parent, value, type, &out->Value );
    else hr = convert_scalar( alloc, parent, value, type, &out->Value );

    if (FAILED(hr))
    {
        /* allocation failures fail the call; the rest is a PT_ERROR entry */
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY && value->size <= PROPS_MAX_VALUE) return hr;
        out->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
        out->Value.err = hr;
        return S_OK;
    }
    out->ulPropTag = PROP_TAG(type, PROP_ID(tag));
    return S_OK;
}

/* A computed value seen as an engine value, so both take the same path. */
static BOOL value_from_computed( const SPropValue *prop, struct pst_value *value )
{
    memset( value, 0, sizeof(*value) );
    value->tag = prop->ulPropTag;
    value->type = PROP_TYPE(prop->ulPropTag);
    switch (value->type)
    {
    case PT_I2:       value->u.i2 = prop->Value.i; break;
    case PT_LONG:     value->u.l = prop->Value.l; break;
    case PT_R4:       value->u.r4 = prop->Value.flt; break;
    case PT_DOUBLE:   value->u.dbl = prop->Value.dbl; break;
    case PT_APPTIME:  value->u.dbl = prop->Value.at; break;
    case PT_CURRENCY: value->u.i8 = prop->Value.cur.int64; break;
    case PT_ERROR:    value->u.err = prop->Value.err; break;
    case PT_BOOLEAN:  value->u.boolean = prop->Value.b; break;
    case PT_I8:       value->u.i8 = prop->Value.li.QuadPart; break;
    case PT_SYSTIME:
        value->u.i8 = ((INT64)prop->Value.ft.dwHighDateTime << 32) | prop->Value.ft.dwLowDateTime;
        break;
    case PT_CLSID:
        value->bytes = (const uint8_t *)prop->Value.lpguid;
        value->size = sizeof(GUID);
        break;
    case PT_BINARY:
        value->bytes = prop->Value.bin.lpb;
        value->size = prop->Value.bin.cb;
        break;
    case PT_STRING8:
        value->bytes = (const uint8_t *)prop->Value.lpszA;
        value->size = strlen( prop->Value.lpszA );
        break;
    case PT_UNICODE:
        value->bytes = (const uint8_t *)prop->Value.lpszW;
        value->size = wcslen( prop->Value.lpszW ) * sizeof(WCHAR);
        break;
    default:
        /* computed values are never multi-valued */
        ERR( "unexpected computed type %#lx.\n", prop->ulPropTag );
        return FALSE;
    }
    return TRUE;
}

static const SPropValue *find_computed( const SPropValue *computed, ULONG count, ULONG id )
{
    ULONG i;

    for (i = 0; i < count; i++) if (PROP_ID(computed[i].ulPropTag) == id) return &computed[i];
    return NULL;
}

/* The stored value for a requested tag: the exact tag, else the same ID
 * in any type (the conversion decides whether it fits). */
static int lookup_stored( struct pst_object *obj, ULONG tag, struct pst_value *value )
{
    int err;

    if (!obj) return PST_E_NOT_FOUND;
    if (PROP_TYPE(tag) != PT_UNSPECIFIED && !(err = pst_prop_get( obj, tag, value ))) return PST_OK;
    return pst_prop_get( obj, PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)), value );
}

static void set_error( SPropValue *out, ULONG tag, HRESULT error )
{
    out->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
    out->dwAlignPad = 0;
    out->Value.err = error;
}

HRESULT props_get( const struct mapi_allocators *alloc, struct pst_object *obj, const SPropValue *computed,
                   ULONG computed_count, SPropTagArray *tags, ULONG flags, ULONG *count, SPropValue **props )
{
    BOOL unicode = !!(flags & MAPI_UNICODE), errors = FALSE;
    ULONG i, n = 0, total, stored = obj ? pst_prop_count( obj ) : 0;
    const SPropValue *comp;
    struct pst_value value;
    SPropValue *values;
    HRESULT hr;
    int err;

    if (!count || !props) return MAPI_E_INVALID_PARAMETER;
    if (tags && !tags->cValues) return MAPI_E_INVALID_PARAMETER;
    /* as MAPI validates tag arrays: a count larger than the array must not
     * make us read past it */
    if (tags && IsBadReadPtr( tags, CbSPropTagArray(tags) )) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    *count = 0;
    *props = NULL;

    total = tags ? tags->cValues : computed_count + stored;
    if (!total) return S_OK;
    if (FAILED(hr = alloc->allocate_buffer( total * sizeof(SPropValue), (void **)&values ))) return hr;

    if (tags)
    {
        for (i = 0; i < tags->cValues; i++)
        {
            ULONG tag = tags->aulPropTag[i];

            if ((comp = find_computed( computed, computed_count, PROP_ID(tag) )))
            {
                if (!value_from_computed( comp, &value )) err = PST_E_NOT_FOUND;
                else err = PST_OK;
            }
            else err = lookup_stored( obj, tag, &value );

            if (!err) hr = props_convert_value( alloc, values, &value, tag, unicode, &values[i] );
            else if (err == PST_E_NOT_FOUND || err == PST_E_TOO_BIG)
            {
                set_error( &values[i], tag, hresult_from_pst( err ) );
                hr = S_OK;
            }
            else hr = hresult_from_pst( err );
            if (FAILED(hr)) goto fail;
            if (PROP_TYPE(values[i].ulPropTag) == PT_ERROR && PROP_TYPE(tag) != PT_ERROR) errors = TRUE;
        }
        n = tags->cValues;
    }
    else
    {
        for (i = 0; i < computed_count; i++)
        {
            if (!value_from_computed( &computed[i], &value )) continue;
            if (FAILED(hr = props_convert_value( alloc, values, &value, PROP_TAG(PT_UNSPECIFIED,
                        PROP_ID(computed[i].ulPropTag)), unicode, &values[n] ))) goto fail;
            n++;
        }
        for (i = 0; i < stored; i++)
        {
            if ((err = pst_prop_get_at( obj, i, &value )))
            {
                /* the engine cannot say which tag it was: leave it out */
                WARN( "property %lu of %#x: %s.\n", i, pst_object_nid( obj ), pst_strerror( err ) );
                if (err == PST_E_NOMEM) { hr = MAPI_E_NOT_ENOUGH_MEMORY; goto fail; }
                continue;
            }
            if (value.type == PT_OBJECT) continue;
            if (find_computed( computed, computed_count, PROP_ID(value.tag) )) continue;
            if (FAILED(hr = props_convert_value( alloc, values, &value, PROP_TAG(PT_UNSPECIFIED,
                        PROP_ID(value.tag)), unicode, &values[n] ))) goto fail;
            /* an empty multi-valued property is no property at all */
            if (values[n].ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(value.tag)) && (value.type & MV_FLAG)
                    && values[n].Value.err == MAPI_E_NOT_FOUND) continue;
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

HRESULT props_get_list( const struct mapi_allocators *alloc, struct pst_object *obj, const SPropValue *computed,
                        ULONG computed_count, ULONG flags, SPropTagArray **tags )
{
    BOOL unicode = !!(flags & MAPI_UNICODE);
    ULONG i, n = 0, stored = obj ? pst_prop_count( obj ) : 0;
    struct pst_value value;
    SPropTagArray *list;
    HRESULT hr;
    int err;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *tags = NULL;
    if (FAILED(hr = alloc->allocate_buffer( CbNewSPropTagArray(computed_count + stored), (void **)&list )))
        return hr;
    for (i = 0; i < computed_count; i++)
        list->aulPropTag[n++] = PROP_TAG(unspecified_type( PROP_TYPE(computed[i].ulPropTag), unicode ),
                                         PROP_ID(computed[i].ulPropTag));
    for (i = 0; i < stored; i++)
    {
        if ((err = pst_prop_get_at( obj, i, &value )))
        {
            WARN( "property %lu of %#x: %s.\n", i, pst_object_nid( obj ), pst_strerror( err ) );
            if (err == PST_E_NOMEM)
            {
                alloc->free_buffer( list );
                return MAPI_E_NOT_ENOUGH_MEMORY;
            }
            continue;
        }
        if (find_computed( computed, computed_count, PROP_ID(value.tag) )) continue;
        list->aulPropTag[n++] = PROP_TAG(unspecified_type( value.type, unicode ), PROP_ID(value.tag));
    }
    list->cValues = n;
    *tags = list;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* named properties                                                     */

static BOOL name_from_mapi( const MAPINAMEID *id, struct pst_name *name )
{
    memset( name, 0, sizeof(*name) );
    if (!id || !id->lpguid) return FALSE;
    memcpy( name->guid, id->lpguid, sizeof(GUID) );
    if (id->ulKind == MNID_ID)
    {
        name->kind = PST_NAME_ID;
        name->lid = id->Kind.lID;
        return TRUE;
    }
    if (id->ulKind == MNID_STRING && id->Kind.lpwstrName)
    {
        name->kind = PST_NAME_STRING;
        name->name = (const uint8_t *)id->Kind.lpwstrName;
        name->name_size = wcslen( id->Kind.lpwstrName ) * sizeof(WCHAR);
        return TRUE;
    }
    return FALSE;
}

/* Names GetIDsFromNames has to add to the map, written in one transaction. */
struct names_create
{
    MAPINAMEID **names;
    SPropTagArray *list;
    const ULONG *indices;
    ULONG count;
};

static int names_create_write( struct pst_file *file, void *context )
{
    struct names_create *c = context;
    struct pst_name name;
    uint16_t prop_id;
    ULONG i;
    int err;

    for (i = 0; i < c->count; i++)
    {
        name_from_mapi( c->names[c->indices[i]], &name );
        if ((err = pst_namemap_add( file, &name, &prop_id ))) return err;
        c->list->aulPropTag[c->indices[i]] = PROP_TAG(PT_UNSPECIFIED, prop_id);
    }
    return PST_OK;
}

/* imapiprop-getidsfromnames.md.  With MAPI_CREATE the names the map lacks
 * are added, all in one transaction, so that either every name of the call
 * gets an ID or the file is left as it was.  Names that already exist map
 * with MAPI_CREATE on a read-only store too; only a name that would need
 * creating answers MAPI_E_NO_ACCESS there.  PS_MAPI names are the plain
 * property IDs below 0x8000 and are never added. */
HRESULT props_get_ids_from_names( struct store_logon *logon, ULONG count, MAPINAMEID **names, ULONG flags,
                                  SPropTagArray **tags )
{
    struct pst_namemap *map = NULL;
    struct names_create create;
    struct pst_name name;
    SPropTagArray *list;
    ULONG *missing = NULL;
    ULONG i, total, missing_count = 0;
    uint16_t prop_id;
    HRESULT hr = S_OK;
    int err;

    if (!tags || (count && !names)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_CREATE) return MAPI_E_UNKNOWN_FLAGS;
    *tags = NULL;

    if ((err = pst_namemap_open( logon->file, &map )) && err != PST_E_NOT_FOUND) return hresult_from_pst( err );

    /* no names: every ID the map holds */
    total = count ? count : pst_namemap_count( map );
    if (FAILED(hr = logon->alloc.allocate_buffer( CbNewSPropTagArray(total), (void **)&list )))
    {
        pst_namemap_close( map );
        return hr;
    }
    list->cValues = 0;
    if (!count)
    {
        for (i = 0; i < total; i++)
            if (!pst_namemap_get_name( map, 0x8000 + i, &name ))
                list->aulPropTag[list->cValues++] = PROP_TAG(PT_UNSPECIFIED, 0x8000 + i);
        pst_namemap_close( map );
        *tags = list;
        return S_OK;
    }

    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        ULONG tag = PROP_TAG(PT_ERROR, 0);

        if (!name_from_mapi( names[i], &name )) hr = MAPI_E_INVALID_PARAMETER;
        /* PS_MAPI names are the plain property IDs */
        else if (IsEqualGUID( names[i]->lpguid, &PS_MAPI ))
        {
            if (name.kind == PST_NAME_ID && name.lid < 0x8000) tag = PROP_TAG(PT_UNSPECIFIED, name.lid);
        }
        else if (map && !(err = pst_namemap_get_id( map, &name, &prop_id )))
            tag = PROP_TAG(PT_UNSPECIFIED, prop_id);
        else if (map && err != PST_E_NOT_FOUND) hr = hresult_from_pst( err );
        else if (flags & MAPI_CREATE)
        {
            if (!logon->writable) hr = MAPI_E_NO_ACCESS;
            else if (!missing && !(missing = malloc( count * sizeof(*missing) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
            else missing[missing_count++] = i;
        }
        list->aulPropTag[i] = tag;
    }
    pst_namemap_close( map );
    if (SUCCEEDED(hr) && missing_count)
    {
        create.names = names;
        create.list = list;
        create.indices = missing;
        create.count = missing_count;
        hr = store_logon_transact( logon, names_create_write, &create );
    }
    free( missing );
    if (FAILED(hr))
    {
        logon->alloc.free_buffer( list );
        return hr;
    }
    list->cValues = count;
    for (i = 0; i < count; i++)
        if (PROP_TYPE(list->aulPropTag[i]) == PT_ERROR) break;
    *tags = list;
    return i < count ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* Fills a MAPINAMEID in the chain of PARENT. */
static HRESULT name_to_mapi( const struct mapi_allocators *alloc, void *parent, const struct pst_name *name,
                             MAPINAMEID **out )
{
    MAPINAMEID *id;
    HRESULT hr;

    if (FAILED(hr = alloc->allocate_more( sizeof(*id), parent, (void **)&id ))) return hr;
    if (FAILED(hr = copy_bytes( alloc, parent, name->guid, sizeof(GUID), (void **)&id->lpguid ))) return hr;
    if (name->kind == PST_NAME_ID)
    {
        id->ulKind = MNID_ID;
        id->Kind.lID = name->lid;
    }
    else
    {
        size_t chars = name->name_size / sizeof(WCHAR);

        id->ulKind = MNID_STRING;
        if (FAILED(hr = alloc->allocate_more( (chars + 1) * sizeof(WCHAR), parent,
                                              (void **)&id->Kind.lpwstrName ))) return hr;
        memcpy( id->Kind.lpwstrName, name->name, chars * sizeof(WCHAR) );
        id->Kind.lpwstrName[chars] = 0;
    }
    *out = id;
    return S_OK;
}

HRESULT props_get_names_from_ids( struct store_logon *logon, SPropTagArray **tags, GUID *guid, ULONG flags,
                                  ULONG *count, MAPINAMEID ***names )
{
    const struct mapi_allocators *alloc = &logon->alloc;
    struct pst_namemap *map = NULL;
    SPropTagArray *all = NULL;
    struct pst_name name;
    MAPINAMEID **list;
    BOOL errors = FALSE;
    ULONG i, n = 0, total;
    HRESULT hr = S_OK;
    int err;

    if (!tags || !count || !names) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_NO_IDS | MAPI_NO_STRINGS)) return MAPI_E_UNKNOWN_FLAGS;
    if (*tags && !(*tags)->cValues) return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *names = NULL;

    if ((err = pst_namemap_open( logon->file, &map )) && err != PST_E_NOT_FOUND) return hresult_from_pst( err );

    if (!*tags)
    {
        /* every name of the map, filtered by GUID and kind; the caller
         * gets the tags too */
        total = pst_namemap_count( map );
        if (FAILED(hr = alloc->allocate_buffer( CbNewSPropTagArray(total), (void **)&all ))) goto done;
        if (FAILED(hr = alloc->allocate_buffer( (total ? total : 1) * sizeof(*list), (void **)&list ))) goto done;
        for (i = 0; i < total; i++)
        {
            if (pst_namemap_get_name( map, 0x8000 + i, &name )) continue;
            if (guid && memcmp( name.guid, guid, sizeof(GUID) )) continue;
            if ((flags & MAPI_NO_IDS) && name.kind == PST_NAME_ID) continue;
            if ((flags & MAPI_NO_STRINGS) && name.kind == PST_NAME_STRING) continue;
            if (FAILED(hr = name_to_mapi( alloc, list, &name, &list[n] ))) break;
            all->aulPropTag[n++] = PROP_TAG(PT_NULL, 0x8000 + i);
        }
        if (FAILED(hr))
        {
            alloc->free_buffer( list );
            goto done;
        }
        all->cValues = n;
        *tags = all;
        all = NULL;
        *count = n;
        *names = list;
        goto done;
    }

    total = (*tags)->cValues;
    if (FAILED(hr = alloc->allocate_buffer( total * sizeof(*list), (void **)&list ))) goto done;
    for (i = 0; i < total; i++)
    {
        ULONG id = PROP_ID((*tags)->aulPropTag[i]);

        list[i] = NULL;
        if (id < 0x8000)
        {
            /* plain IDs are PS_MAPI names */
            memset( &name, 0, sizeof(name) );
            memcpy( name.guid, &PS_MAPI, sizeof(GUID) );
            name.kind = PST_NAME_ID;
            name.lid = id;
            err = PST_OK;
        }
        else err = map ? pst_namemap_get_name( map, id, &name ) : PST_E_NOT_FOUND;
        if (err == PST_E_NOT_FOUND)
        {
            errors = TRUE;
            continue;
        }
        if (err)
        {
            hr = hresult_from_pst( err );
            break;
        }
        if (FAILED(hr = name_to_mapi( alloc, list, &name, &list[i] ))) break;
    }
    if (FAILED(hr))
    {
        alloc->free_buffer( list );
        goto done;
    }
    *count = total;
    *names = list;
    hr = errors ? MAPI_W_ERRORS_RETURNED : S_OK;

done:
    if (all) alloc->free_buffer( all );
    pst_namemap_close( map );
    return hr;
}
