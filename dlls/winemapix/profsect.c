/*
 * IProfSect: a profile section stored in the registry
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
 * Changes are written through to the registry at once, so that every
 * object open on the same section, in any process, sees the same data;
 * SaveChanges therefore has nothing left to do.
 */

#include <stdlib.h>
#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

struct profsect
{
    IProfSect IProfSect_iface;
    LONG refcount;
    struct liveness *owner;
    WCHAR *profile;
    MAPIUID uid;
    ULONG flags;
};

static inline struct profsect *impl_from_IProfSect( IProfSect *iface )
{
    return CONTAINING_RECORD( iface, struct profsect, IProfSect_iface );
}

static HRESULT WINAPI profsect_QueryInterface( IProfSect *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IProfSect ) || IsEqualIID( riid, &IID_IMAPIProp )
            || IsEqualIID( riid, &IID_IUnknown ))
    {
        *out = iface;
        IProfSect_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI profsect_AddRef( IProfSect *iface )
{
    struct profsect *section = impl_from_IProfSect( iface );
    ULONG refcount = InterlockedIncrement( &section->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI profsect_Release( IProfSect *iface )
{
    struct profsect *section = impl_from_IProfSect( iface );
    ULONG refcount = InterlockedDecrement( &section->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        liveness_release( section->owner );
        free( section->profile );
        free( section );
    }
    return refcount;
}

static HRESULT WINAPI profsect_GetLastError( IProfSect *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( impl_from_IProfSect( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI profsect_SaveChanges( IProfSect *iface, ULONG flags )
{
    struct profsect *section = impl_from_IProfSect( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (liveness_dead( section->owner )) return MAPI_E_INVALID_OBJECT;
    if (!(section->flags & MAPI_MODIFY)) return MAPI_E_NO_ACCESS;
    return S_OK;
}

/* the registry holds each property under the tag of the type it was written with */
static const struct profile_value *find_value( const struct profile_value *values, unsigned int count, ULONG tag,
                                               ULONG *found_tag )
{
    static const ULONG string_types[] = { PT_STRING8, PT_UNICODE };
    ULONG tags[3];
    unsigned int n = 0, i, j;
    WCHAR name[9];

    tags[n++] = tag;
    if (PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE || PROP_TYPE(tag) == PT_UNSPECIFIED)
    {
        for (i = 0; i < ARRAY_SIZE(string_types); i++)
            if (PROP_TYPE(tag) != string_types[i]) tags[n++] = CHANGE_PROP_TYPE( tag, string_types[i] );
    }

    for (i = 0; i < n; i++)
    {
        swprintf( name, ARRAY_SIZE(name), L"%08lx", tags[i] );
        for (j = 0; j < count; j++)
        {
            if (wcsicmp( values[j].name, name )) continue;
            *found_tag = tags[i];
            return &values[j];
        }
    }
    return NULL;
}

/* the value stored under exactly this tag */
static const struct profile_value *find_exact( const struct profile_value *values, unsigned int count, ULONG tag )
{
    unsigned int i;
    WCHAR name[9];

    swprintf( name, ARRAY_SIZE(name), L"%08lx", tag );
    for (i = 0; i < count; i++)
        if (!wcsicmp( values[i].name, name )) return &values[i];
    return NULL;
}

/* fills one SPropValue, converting strings to the width asked for; memory hangs off base */
static HRESULT fill_prop( void *base, ULONG tag, ULONG stored_tag, const BYTE *data, DWORD size, SPropValue *prop )
{
    ULONG type = PROP_TYPE(tag) == PT_UNSPECIFIED ? PROP_TYPE(stored_tag) : PROP_TYPE(tag);
    HRESULT hr;
    int len;

    prop->ulPropTag = CHANGE_PROP_TYPE( tag, type );
    prop->dwAlignPad = 0;
    switch (type)
    {
    case PT_I2:
        if (size < sizeof(short)) break;
        memcpy( &prop->Value.i, data, sizeof(short) );
        return S_OK;
    case PT_LONG:
        if (size < sizeof(LONG)) break;
        memcpy( &prop->Value.l, data, sizeof(LONG) );
        return S_OK;
    case PT_BOOLEAN:
        if (!size) break;
        prop->Value.b = data[0] != 0;
        return S_OK;
    case PT_I8:
    case PT_SYSTIME:
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
        if (size < sizeof(LONGLONG)) break;
        memcpy( &prop->Value.li, data, sizeof(LONGLONG) );
        return S_OK;
    case PT_STRING8:
        if (PROP_TYPE(stored_tag) == PT_UNICODE)
        {
            len = WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)data, -1, NULL, 0, NULL, NULL );
            if (FAILED(hr = MAPIAllocateMore( len, base, (void **)&prop->Value.lpszA ))) return hr;
            WideCharToMultiByte( CP_ACP, 0, (const WCHAR *)data, -1, prop->Value.lpszA, len, NULL, NULL );
        }
        else
        {
            if (FAILED(hr = MAPIAllocateMore( size + 1, base, (void **)&prop->Value.lpszA ))) return hr;
            memcpy( prop->Value.lpszA, data, size );
            prop->Value.lpszA[size] = 0;
        }
        return S_OK;
    case PT_UNICODE:
        if (PROP_TYPE(stored_tag) == PT_STRING8)
        {
            len = MultiByteToWideChar( CP_ACP, 0, (const char *)data, -1, NULL, 0 );
            if (FAILED(hr = MAPIAllocateMore( len * sizeof(WCHAR), base, (void **)&prop->Value.lpszW ))) return hr;
            MultiByteToWideChar( CP_ACP, 0, (const char *)data, -1, prop->Value.lpszW, len );
        }
        else
        {
            if (FAILED(hr = MAPIAllocateMore( size + sizeof(WCHAR), base, (void **)&prop->Value.lpszW )))
                return hr;
            memcpy( prop->Value.lpszW, data, size );
            prop->Value.lpszW[size / sizeof(WCHAR)] = 0;
        }
        return S_OK;
    case PT_BINARY:
        prop->Value.bin.cb = size;
        if (FAILED(hr = MAPIAllocateMore( size ? size : 1, base, (void **)&prop->Value.bin.lpb ))) return hr;
        memcpy( prop->Value.bin.lpb, data, size );
        return S_OK;
    case PT_CLSID:
        if (size < sizeof(GUID)) break;
        if (FAILED(hr = MAPIAllocateMore( sizeof(GUID), base, (void **)&prop->Value.lpguid ))) return hr;
        memcpy( prop->Value.lpguid, data, sizeof(GUID) );
        return S_OK;
    case PT_MV_STRING8:
    {
        const char *p = (const char *)data, *end = p + size;
        ULONG count = 0, i;

        while (p < end && *p) { p += strlen( p ) + 1; count++; }
        prop->Value.MVszA.cValues = count;
        if (FAILED(hr = MAPIAllocateMore( (count ? count : 1) * sizeof(char *), base,
                                          (void **)&prop->Value.MVszA.lppszA ))) return hr;
        for (i = 0, p = (const char *)data; i < count; i++, p += strlen( p ) + 1)
            prop->Value.MVszA.lppszA[i] = (char *)p;
        /* the strings themselves are copied into one block after the array */
        if (FAILED(hr = MAPIAllocateMore( size + 1, base, (void **)&p ))) return hr;
        memcpy( (char *)p, data, size );
        ((char *)p)[size] = 0;
        for (i = 0; i < count; i++)
            prop->Value.MVszA.lppszA[i] = (char *)p + (prop->Value.MVszA.lppszA[i] - (const char *)data);
        return S_OK;
    }
    default:
        FIXME( "type %#lx not supported.\n", type );
        break;
    }
    prop->ulPropTag = CHANGE_PROP_TYPE( tag, PT_ERROR );
    prop->Value.err = MAPI_E_NOT_FOUND;
    return S_OK;
}

static HRESULT WINAPI profsect_GetProps( IProfSect *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                         SPropValue **props )
{
    struct profsect *section = impl_from_IProfSect( iface );
    const struct profile_value *value;
    struct profile_value *stored;
    SPropTagArray *list = NULL;
    SPropValue *values;
    unsigned int stored_count;
    ULONG i, found_tag;
    BOOL errors = FALSE;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (liveness_dead( section->owner )) return MAPI_E_INVALID_OBJECT;
    if (!count || !props) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (tags && !tags->cValues) return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *props = NULL;

    if (!tags)
    {
        if (FAILED(hr = IProfSect_GetPropList( iface, flags, &list ))) return hr;
        tags = list;
    }
    if (FAILED(hr = profile_section_get_values( section->profile, &section->uid, &stored, &stored_count )))
    {
        MAPIFreeBuffer( list );
        return hr;
    }
    if (FAILED(hr = MAPIAllocateBuffer( (tags->cValues ? tags->cValues : 1) * sizeof(*values), (void **)&values )))
    {
        profile_free_values( stored, stored_count );
        MAPIFreeBuffer( list );
        return hr;
    }

    for (i = 0; i < tags->cValues && SUCCEEDED(hr); i++)
    {
        if ((value = find_value( stored, stored_count, tags->aulPropTag[i], &found_tag )))
            hr = fill_prop( values, tags->aulPropTag[i], found_tag, value->data, value->size, &values[i] );
        else
        {
            values[i].ulPropTag = CHANGE_PROP_TYPE( tags->aulPropTag[i], PT_ERROR );
            values[i].dwAlignPad = 0;
            values[i].Value.err = MAPI_E_NOT_FOUND;
        }
        if (PROP_TYPE(values[i].ulPropTag) == PT_ERROR) errors = TRUE;
    }
    profile_free_values( stored, stored_count );

    if (FAILED(hr))
    {
        MAPIFreeBuffer( values );
        MAPIFreeBuffer( list );
        return hr;
    }
    *count = tags->cValues;
    *props = values;
    MAPIFreeBuffer( list );
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;
}

static HRESULT WINAPI profsect_GetPropList( IProfSect *iface, ULONG flags, SPropTagArray **tags )
{
    struct profsect *section = impl_from_IProfSect( iface );
    struct profile_value *stored;
    unsigned int count, index;
    SPropTagArray *list;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (liveness_dead( section->owner )) return MAPI_E_INVALID_OBJECT;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *tags = NULL;

    /* the stored values are those named like a tag: 8 characters */
    if (FAILED(hr = profile_section_get_values( section->profile, &section->uid, &stored, &count ))) return hr;
    if (FAILED(hr = MAPIAllocateBuffer( CbNewSPropTagArray( count ), (void **)&list )))
    {
        profile_free_values( stored, count );
        return hr;
    }
    list->cValues = 0;
    for (index = 0; index < count; index++)
    {
        list->aulPropTag[list->cValues] = wcstoul( stored[index].name, NULL, 16 );
        /* report strings in the width the caller asked for */
        if (PROP_TYPE(list->aulPropTag[list->cValues]) == PT_STRING8 && (flags & MAPI_UNICODE))
            list->aulPropTag[list->cValues] = CHANGE_PROP_TYPE( list->aulPropTag[list->cValues], PT_UNICODE );
        list->cValues++;
    }
    profile_free_values( stored, count );
    *tags = list;
    return S_OK;
}

static HRESULT WINAPI profsect_OpenProperty( IProfSect *iface, ULONG tag, const IID *iid, ULONG options,
                                             ULONG flags, IUnknown **unk )
{
    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (liveness_dead( impl_from_IProfSect( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

/* the bytes stored for a property, or FALSE for a type a profile section cannot hold */
static BOOL encode_prop( const SPropValue *prop, const void **data, DWORD *size, BYTE **buffer )
{
    ULONG i;
    size_t len;
    char *p;

    *buffer = NULL;
    switch (PROP_TYPE(prop->ulPropTag))
    {
    case PT_I2: *data = &prop->Value.i; *size = sizeof(short); return TRUE;
    case PT_LONG: *data = &prop->Value.l; *size = sizeof(LONG); return TRUE;
    case PT_BOOLEAN: *data = &prop->Value.b; *size = sizeof(prop->Value.b); return TRUE;
    case PT_I8: case PT_SYSTIME: case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME:
        *data = &prop->Value.li; *size = sizeof(LONGLONG); return TRUE;
    case PT_STRING8:
        if (!prop->Value.lpszA) return FALSE;
        *data = prop->Value.lpszA; *size = strlen( prop->Value.lpszA ) + 1; return TRUE;
    case PT_UNICODE:
        if (!prop->Value.lpszW) return FALSE;
        *data = prop->Value.lpszW; *size = (wcslen( prop->Value.lpszW ) + 1) * sizeof(WCHAR); return TRUE;
    case PT_BINARY:
        if (prop->Value.bin.cb && !prop->Value.bin.lpb) return FALSE;
        *data = prop->Value.bin.lpb; *size = prop->Value.bin.cb; return TRUE;
    case PT_CLSID:
        if (!prop->Value.lpguid) return FALSE;
        *data = prop->Value.lpguid; *size = sizeof(GUID); return TRUE;
    case PT_MV_STRING8:
        for (i = 0, len = 1; i < prop->Value.MVszA.cValues; i++)
        {
            if (!prop->Value.MVszA.lppszA[i]) return FALSE;
            len += strlen( prop->Value.MVszA.lppszA[i] ) + 1;
        }
        if (!(*buffer = malloc( len ))) return FALSE;
        for (i = 0, p = (char *)*buffer; i < prop->Value.MVszA.cValues; i++)
        {
            strcpy( p, prop->Value.MVszA.lppszA[i] );
            p += strlen( p ) + 1;
        }
        *p = 0;
        *data = *buffer;
        *size = len;
        return TRUE;
    default:
        return FALSE;
    }
}

static HRESULT WINAPI profsect_SetProps( IProfSect *iface, ULONG count, SPropValue *props,
                                         SPropProblemArray **problems )
{
    struct profsect *section = impl_from_IProfSect( iface );
    struct profile_value *stored = NULL;
    const struct profile_value *value;
    unsigned int stored_count = 0;
    HKEY key = NULL;
    const void *data;
    BYTE *buffer;
    WCHAR name[9];
    ULONG i, other;
    HRESULT hr = S_OK;
    DWORD size;

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (liveness_dead( section->owner )) return MAPI_E_INVALID_OBJECT;
    if (problems) *problems = NULL;
    if (!props || !count) return MAPI_E_INVALID_PARAMETER;
    if (!(section->flags & MAPI_MODIFY)) return MAPI_E_NO_ACCESS;
    for (i = 0; i < count; i++)
    {
        if (PROP_TYPE(props[i].ulPropTag) == PT_ERROR || PROP_TYPE(props[i].ulPropTag) == PT_UNSPECIFIED
                || PROP_TYPE(props[i].ulPropTag) == PT_NULL)
            return MAPI_E_INVALID_PARAMETER;
    }

    /* what the section holds before any of these writes; on failure everything is written */
    profile_section_get_values( section->profile, &section->uid, &stored, &stored_count );
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        if (!encode_prop( &props[i], &data, &size, &buffer ))
        {
            FIXME( "cannot store tag %#lx.\n", props[i].ulPropTag );
            continue;
        }
        /* a property lives under one type only, so the other string width goes */
        other = 0;
        if (PROP_TYPE(props[i].ulPropTag) == PT_STRING8 || PROP_TYPE(props[i].ulPropTag) == PT_UNICODE)
            other = CHANGE_PROP_TYPE( props[i].ulPropTag,
                                      (PROP_TYPE(props[i].ulPropTag) == PT_STRING8 ? PT_UNICODE : PT_STRING8) );
        /* rewriting the same bytes would change nothing but wake every reader of the profile
         * (providers write their entry IDs at each logon) */
        if ((value = find_exact( stored, stored_count, props[i].ulPropTag )) && value->size == size
                && !memcmp( value->data, data, size ) && (!other || !find_exact( stored, stored_count, other )))
        {
            free( buffer );
            continue;
        }
        if (!key && FAILED(hr = profile_section_open_key( section->profile, &section->uid, TRUE, KEY_SET_VALUE,
                                                          &key )))
        {
            free( buffer );
            break;
        }
        if (other)
        {
            swprintf( name, ARRAY_SIZE(name), L"%08lx", other );
            RegDeleteValueW( key, name );
        }
        swprintf( name, ARRAY_SIZE(name), L"%08lx", props[i].ulPropTag );
        RegSetValueExW( key, name, 0, REG_BINARY, data, size );
        free( buffer );
    }
    profile_free_values( stored, stored_count );
    if (key)
    {
        RegCloseKey( key );
        profile_cache_changed();
    }
    return hr;
}

static HRESULT WINAPI profsect_DeleteProps( IProfSect *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct profsect *section = impl_from_IProfSect( iface );
    static const ULONG types[] = { PT_STRING8, PT_UNICODE };
    WCHAR name[9];
    unsigned int j;
    HRESULT hr;
    HKEY key;
    ULONG i;

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (liveness_dead( section->owner )) return MAPI_E_INVALID_OBJECT;
    if (problems) *problems = NULL;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (!(section->flags & MAPI_MODIFY)) return MAPI_E_NO_ACCESS;

    if (FAILED(hr = profile_section_open_key( section->profile, &section->uid, FALSE, KEY_SET_VALUE, &key )))
        return hr;
    for (i = 0; i < tags->cValues; i++)
    {
        swprintf( name, ARRAY_SIZE(name), L"%08lx", tags->aulPropTag[i] );
        RegDeleteValueW( key, name );
        if (PROP_TYPE(tags->aulPropTag[i]) == PT_STRING8 || PROP_TYPE(tags->aulPropTag[i]) == PT_UNICODE
                || PROP_TYPE(tags->aulPropTag[i]) == PT_UNSPECIFIED)
        {
            for (j = 0; j < ARRAY_SIZE(types); j++)
            {
                swprintf( name, ARRAY_SIZE(name), L"%08lx", CHANGE_PROP_TYPE( tags->aulPropTag[i], types[j] ) );
                RegDeleteValueW( key, name );
            }
        }
    }
    RegCloseKey( key );
    profile_cache_changed();
    return S_OK;
}

static HRESULT WINAPI profsect_CopyTo( IProfSect *iface, ULONG exclude_iid_count, const IID *exclude_iids,
                                       SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                       const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    FIXME( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p stub!\n", iface, exclude_iid_count, exclude_iids,
           exclude_props, ui_param, progress, debugstr_guid(iid), dest, flags, problems );
    if (liveness_dead( impl_from_IProfSect( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_CopyProps( IProfSect *iface, SPropTagArray *include_props, ULONG ui_param,
                                          IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                          SPropProblemArray **problems )
{
    FIXME( "%p, %p, %#lx, %p, %s, %p, %#lx, %p stub!\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );
    if (liveness_dead( impl_from_IProfSect( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_GetNamesFromIDs( IProfSect *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                                ULONG *count, MAPINAMEID ***names )
{
    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (liveness_dead( impl_from_IProfSect( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    /* profile sections have no named properties */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_GetIDsFromNames( IProfSect *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                                SPropTagArray **tags )
{
    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (liveness_dead( impl_from_IProfSect( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static const IProfSectVtbl profsect_vtbl =
{
    profsect_QueryInterface,
    profsect_AddRef,
    profsect_Release,
    profsect_GetLastError,
    profsect_SaveChanges,
    profsect_GetProps,
    profsect_GetPropList,
    profsect_OpenProperty,
    profsect_SetProps,
    profsect_DeleteProps,
    profsect_CopyTo,
    profsect_CopyProps,
    profsect_GetNamesFromIDs,
    profsect_GetIDsFromNames,
};

HRESULT profsect_create( struct liveness *owner, const WCHAR *profile, const MAPIUID *uid, ULONG flags,
                         IProfSect **out )
{
    struct profile_value *values;
    struct profsect *section;
    unsigned int count;
    HRESULT hr;
    HKEY key;

    *out = NULL;
    if (SUCCEEDED(hr = profile_section_get_values( profile, uid, &values, &count )))
        profile_free_values( values, count );
    else if (hr == MAPI_E_NOT_FOUND && (flags & MAPI_MODIFY))
    {
        /* opening a section that does not exist yet creates it, as MAPI does for new UIDs */
        if (FAILED(hr = profile_section_open_key( profile, uid, TRUE, KEY_READ, &key ))) return hr;
        RegCloseKey( key );
        profile_cache_changed();
    }
    else return hr;

    if (!(section = calloc( 1, sizeof(*section) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    section->IProfSect_iface.lpVtbl = &profsect_vtbl;
    section->refcount = 1;
    section->uid = *uid;
    section->flags = flags;
    if (!(section->profile = wcsdup( profile )))
    {
        free( section );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    liveness_addref( owner );
    section->owner = owner;
    *out = &section->IProfSect_iface;
    return S_OK;
}
