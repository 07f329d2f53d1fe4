/*
 * MAPI profiles: registry storage and IProfAdmin
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

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* where Windows Messaging keeps its profiles, so other MAPI implementations see the same ones */
static const WCHAR profiles_keyW[] =
    L"Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles";

/* profile names: up to 64 characters, no leading or trailing space (IProfAdmin::CreateProfile) */
#define MAX_PROFILE_NAME 64

void profile_uid_to_name( const MAPIUID *uid, WCHAR name[33] )
{
    static const WCHAR hex[] = L"0123456789abcdef";
    unsigned int i;

    for (i = 0; i < sizeof(uid->ab); i++)
    {
        name[2 * i] = hex[uid->ab[i] >> 4];
        name[2 * i + 1] = hex[uid->ab[i] & 0xf];
    }
    name[32] = 0;
}

static int hex_value( WCHAR c )
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

BOOL profile_name_to_uid( const WCHAR *name, MAPIUID *uid )
{
    unsigned int i;
    int hi, lo;

    for (i = 0; i < sizeof(uid->ab); i++)
    {
        if ((hi = hex_value( name[2 * i] )) < 0 || (lo = hex_value( name[2 * i + 1] )) < 0) return FALSE;
        uid->ab[i] = (hi << 4) | lo;
    }
    return !name[32];
}

void profile_new_uid( MAPIUID *uid )
{
    GUID guid;

    CoCreateGuid( &guid );
    memcpy( uid->ab, &guid, sizeof(uid->ab) );
}

static HRESULT hr_from_win32( LONG err )
{
    switch (err)
    {
    case ERROR_SUCCESS: return S_OK;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return MAPI_E_NOT_FOUND;
    case ERROR_ACCESS_DENIED: return MAPI_E_NO_ACCESS;
    case ERROR_OUTOFMEMORY:
    case ERROR_NOT_ENOUGH_MEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    default: return MAPI_E_CALL_FAILED;
    }
}

static HRESULT open_profiles_key( BOOL create, REGSAM access, HKEY *key )
{
    if (create)
        return hr_from_win32( RegCreateKeyExW( HKEY_CURRENT_USER, profiles_keyW, 0, NULL, 0, access, NULL, key, NULL ) );
    return hr_from_win32( RegOpenKeyExW( HKEY_CURRENT_USER, profiles_keyW, 0, access, key ) );
}

static BOOL valid_profile_name( const WCHAR *name )
{
    size_t len;

    if (!name || !(len = wcslen( name )) || len > MAX_PROFILE_NAME) return FALSE;
    if (name[0] == ' ' || name[len - 1] == ' ') return FALSE;
    /* a backslash would reach into another key */
    return !wcschr( name, '\\' );
}

HRESULT profile_open( const WCHAR *profile, REGSAM access, HKEY *key )
{
    HKEY profiles;
    HRESULT hr;

    *key = NULL;
    if (!valid_profile_name( profile )) return MAPI_E_NOT_FOUND;
    if (FAILED(hr = open_profiles_key( FALSE, KEY_READ, &profiles ))) return hr;
    hr = hr_from_win32( RegOpenKeyExW( profiles, profile, 0, access, key ) );
    RegCloseKey( profiles );
    return hr;
}

HRESULT profile_get_default( WCHAR **profile )
{
    DWORD type, size = 0;
    HKEY profiles;
    WCHAR *name;
    LONG err;

    *profile = NULL;
    if (open_profiles_key( FALSE, KEY_READ, &profiles )) return MAPI_E_NOT_FOUND;
    err = RegQueryValueExW( profiles, L"DefaultProfile", NULL, &type, NULL, &size );
    if (err || type != REG_SZ || size < sizeof(WCHAR))
    {
        RegCloseKey( profiles );
        return MAPI_E_NOT_FOUND;
    }
    if (!(name = calloc( 1, size + sizeof(WCHAR) )))
    {
        RegCloseKey( profiles );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    err = RegQueryValueExW( profiles, L"DefaultProfile", NULL, &type, (BYTE *)name, &size );
    RegCloseKey( profiles );
    if (err || !name[0])
    {
        free( name );
        return MAPI_E_NOT_FOUND;
    }
    *profile = name;
    return S_OK;
}

HRESULT profile_section_open_key( const WCHAR *profile, const MAPIUID *uid, BOOL create, REGSAM access, HKEY *key )
{
    WCHAR name[33];
    HKEY profile_key;
    HRESULT hr;

    *key = NULL;
    if (FAILED(hr = profile_open( profile, KEY_READ | KEY_CREATE_SUB_KEY, &profile_key ))) return hr;
    profile_uid_to_name( uid, name );
    if (create)
        hr = hr_from_win32( RegCreateKeyExW( profile_key, name, 0, NULL, 0, access, NULL, key, NULL ) );
    else
        hr = hr_from_win32( RegOpenKeyExW( profile_key, name, 0, access, key ) );
    RegCloseKey( profile_key );
    return hr;
}

/*
 * The profile cache: one profile's sections and their values, held so that
 * a logon does not ask the wineserver for each value it reads (every
 * registry call is a round trip to it).  It stays true to the registry
 * through change notifications, each with its own event, as arming one
 * clears its event: one on the Profiles key (its whole subtree, names only:
 * profiles and sections appearing or going) and one on each section key
 * (its values; value changes do not reach the watchers of parent keys).
 * Before the cached data is used, the events are looked at, all at once; a
 * signalled one, or a write made through this DLL (profile_cache_changed),
 * drops the data and the next read loads it again, after the watches are
 * set up, so that no change in between is missed.  So changes made by other
 * processes or by IProfAdmin are seen by the next read, as before.
 *
 * Within a pinned call (profile_cache_pin, a logon for instance) the events
 * are looked at by its first read only, so that the call works on one view
 * of the profile; writes through this DLL still drop the data at once.
 *
 * Profiles with more sections than one wait can watch, and any registry
 * failure, fall back to a snapshot loaded for the one read.
 */
#define CACHE_MAX_SECTIONS (MAXIMUM_WAIT_OBJECTS - 2)

struct cache_section
{
    MAPIUID uid;
    HKEY key;                   /* open while cached: its notification lives on the handle */
    unsigned int count;
    struct profile_value *values;
};

struct cache_profile
{
    WCHAR *name;
    unsigned int count;
    struct cache_section *sections;
};

static CRITICAL_SECTION cache_cs;
static CRITICAL_SECTION_DEBUG cache_cs_debug =
{
    0, 0, &cache_cs,
    { &cache_cs_debug.ProcessLocksList, &cache_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": cache_cs") }
};
static CRITICAL_SECTION cache_cs = { &cache_cs_debug, -1, 0, 0, 0, 0 };

static HKEY cache_root;                             /* the Profiles key, watched */
static HANDLE cache_events[MAXIMUM_WAIT_OBJECTS];   /* [0] the Profiles key, [1 + i] section i */
static unsigned int cache_watched;                  /* events armed */
static struct cache_profile *cache_profile;
static BOOL cache_stale = TRUE;
static BOOL cache_off;                              /* notifications do not work here */
static HANDLE cache_set;                            /* always set: ends a wait that finds no change */
static DWORD cache_tls = TLS_OUT_OF_INDEXES;        /* pin depth << 1 | validated in this pin */

void profile_free_values( struct profile_value *values, unsigned int count )
{
    unsigned int i;

    for (i = 0; i < count; i++) free( values[i].data );
    free( values );
}

static void cache_free_profile( struct cache_profile *profile )
{
    unsigned int i;

    if (!profile) return;
    for (i = 0; i < profile->count; i++)
    {
        if (profile->sections[i].key) RegCloseKey( profile->sections[i].key );
        profile_free_values( profile->sections[i].values, profile->sections[i].count );
    }
    free( profile->sections );
    free( profile->name );
    free( profile );
}

static HRESULT add_value( struct cache_section *section, const WCHAR *name, const BYTE *data, DWORD size )
{
    struct profile_value *values, *value;

    if (!(values = realloc( section->values, (section->count + 1) * sizeof(*values) )))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    section->values = values;
    value = &values[section->count];
    /* two spare NULs so string readers never run off the end: a value of odd size ends mid-WCHAR */
    if (!(value->data = calloc( 1, size + 2 * sizeof(WCHAR) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy( value->data, data, size );
    value->size = size;
    lstrcpynW( value->name, name, ARRAY_SIZE(value->name) );
    section->count++;
    return S_OK;
}

/* every value named like a property tag (8 characters), in registry order */
static HRESULT read_section_values( HKEY key, struct cache_section *section )
{
    WCHAR name[256];
    BYTE buffer[512], *data;
    DWORD index, len, size;
    HRESULT hr = S_OK;
    LONG err;

    for (index = 0; SUCCEEDED(hr); index++)
    {
        len = ARRAY_SIZE(name);
        size = sizeof(buffer);
        err = RegEnumValueW( key, index, name, &len, NULL, NULL, buffer, &size );
        if (err == ERROR_NO_MORE_ITEMS) break;
        if (err == ERROR_MORE_DATA)
        {
            /* a long name is no property; long data is read on its own */
            len = ARRAY_SIZE(name);
            if (RegEnumValueW( key, index, name, &len, NULL, NULL, NULL, NULL ) || len != 8) continue;
            if ((err = RegQueryValueExW( key, name, NULL, NULL, NULL, &size ))) return hr_from_win32( err );
            if (!(data = malloc( size ? size : 1 ))) return MAPI_E_NOT_ENOUGH_MEMORY;
            if (!(err = RegQueryValueExW( key, name, NULL, NULL, data, &size )))
                hr = add_value( section, name, data, size );
            free( data );
            if (err) return hr_from_win32( err );
            continue;
        }
        if (err) return hr_from_win32( err );
        if (len == 8) hr = add_value( section, name, buffer, size );
    }
    return hr;
}

/* the profile's sections; with WATCH, each section key stays open with its notification armed */
static HRESULT cache_load( const WCHAR *name, BOOL watch, struct cache_profile **ret )
{
    struct cache_profile *profile;
    struct cache_section *sections, *section;
    WCHAR subkey[64];
    HKEY profile_key, key;
    DWORD index, len;
    MAPIUID uid;
    HRESULT hr;
    LONG err;

    *ret = NULL;
    if (FAILED(hr = profile_open( name, KEY_READ, &profile_key ))) return hr;
    if (!(profile = calloc( 1, sizeof(*profile) )) || !(profile->name = wcsdup( name )))
    {
        free( profile );
        RegCloseKey( profile_key );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (index = 0; SUCCEEDED(hr); index++)
    {
        len = ARRAY_SIZE(subkey);
        if ((err = RegEnumKeyExW( profile_key, index, subkey, &len, NULL, NULL, NULL, NULL )))
        {
            if (err != ERROR_NO_MORE_ITEMS && err != ERROR_MORE_DATA) hr = hr_from_win32( err );
            if (err != ERROR_MORE_DATA) break;
            continue;
        }
        if (!profile_name_to_uid( subkey, &uid )) continue;
        if (watch && profile->count == CACHE_MAX_SECTIONS)
        {
            hr = MAPI_E_TOO_BIG;
            break;
        }
        if ((err = RegOpenKeyExW( profile_key, subkey, 0, KEY_QUERY_VALUE | (watch ? KEY_NOTIFY : 0), &key )))
        {
            /* gone since the enumeration: so is its section */
            if (err != ERROR_FILE_NOT_FOUND) hr = hr_from_win32( err );
            continue;
        }
        if (!(sections = realloc( profile->sections, (profile->count + 1) * sizeof(*sections) )))
        {
            RegCloseKey( key );
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        profile->sections = sections;
        section = &sections[profile->count++];
        memset( section, 0, sizeof(*section) );
        section->uid = uid;
        section->key = key;
        if (watch)
        {
            HANDLE *event = &cache_events[profile->count];

            /* armed before the values are read: a change from here on shows */
            if (!*event && !(*event = CreateEventW( NULL, TRUE, FALSE, NULL ))) hr = MAPI_E_CALL_FAILED;
            else if (!ResetEvent( *event )) hr = MAPI_E_CALL_FAILED;
            else if ((err = RegNotifyChangeKeyValue( key, FALSE, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET,
                                                     *event, TRUE )))
                hr = hr_from_win32( err );
            if (FAILED(hr)) break;
        }
        hr = read_section_values( key, section );
        if (!watch)
        {
            RegCloseKey( key );
            section->key = NULL;
        }
    }
    RegCloseKey( profile_key );
    if (FAILED(hr))
    {
        cache_free_profile( profile );
        return hr;
    }
    *ret = profile;
    return S_OK;
}

static void cache_drop(void)
{
    cache_free_profile( cache_profile );
    cache_profile = NULL;
    if (cache_watched > 1) cache_watched = 1;
}

/* under cache_cs: TRUE when no watched key changed.  Under Wine a wait
 * that times out yields the CPU after its wineserver round trip, which
 * costs a time slice per check on a busy machine.  So the events are
 * waited for with one more, always set, last: a wait for any of them
 * reports the first one set, a changed key before it, and never times out. */
static BOOL cache_unchanged(void)
{
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];

    if (!cache_set) cache_set = CreateEventW( NULL, TRUE, TRUE, NULL );
    if (!cache_set) return WaitForMultipleObjects( cache_watched, cache_events, FALSE, 0 ) == WAIT_TIMEOUT;
    memcpy( handles, cache_events, cache_watched * sizeof(*handles) );
    handles[cache_watched] = cache_set;
    return WaitForMultipleObjects( cache_watched + 1, handles, FALSE, 0 ) == WAIT_OBJECT_0 + cache_watched;
}

/* under cache_cs: whether the cached data may be used, dropping it if the registry changed */
static BOOL cache_validate(void)
{
    ULONG_PTR pin = cache_tls == TLS_OUT_OF_INDEXES ? 0 : (ULONG_PTR)TlsGetValue( cache_tls );
    LONG err;

    if (cache_off) return FALSE;
    if (!cache_stale)
    {
        if (pin & 1) return TRUE;
        if (cache_unchanged()) goto valid;
    }
    cache_drop();
    /* opened again each time: a Profiles key deleted and made again is another key */
    if (cache_root) RegCloseKey( cache_root );
    cache_root = NULL;
    cache_watched = 0;
    cache_stale = TRUE;
    if (FAILED(open_profiles_key( FALSE, KEY_READ, &cache_root )))
    {
        /* no profiles yet: nothing to cache, and the next read looks again */
        cache_root = NULL;
        return FALSE;
    }
    if (!cache_events[0] && !(cache_events[0] = CreateEventW( NULL, TRUE, FALSE, NULL )))
    {
        cache_off = TRUE;
        return FALSE;
    }
    /* closing a watched key sets its event; registering may not clear it */
    ResetEvent( cache_events[0] );
    if ((err = RegNotifyChangeKeyValue( cache_root, TRUE, REG_NOTIFY_CHANGE_NAME, cache_events[0], TRUE )))
    {
        WARN( "no registry notifications (error %ld); the profile cache is off.\n", err );
        cache_off = TRUE;
        return FALSE;
    }
    cache_watched = 1;
    cache_stale = FALSE;
valid:
    if (pin >> 1) TlsSetValue( cache_tls, (void *)(pin | 1) );
    return TRUE;
}

/* under cache_cs: the profile's data, cached or (*temp) loaded for this call only */
static HRESULT cache_get( const WCHAR *name, struct cache_profile **ret, BOOL *temp )
{
    struct cache_profile *profile;
    HRESULT hr;

    *ret = NULL;
    *temp = FALSE;
    if (!valid_profile_name( name )) return MAPI_E_NOT_FOUND;
    if (cache_validate())
    {
        if (cache_profile && !wcsicmp( cache_profile->name, name ))
        {
            *ret = cache_profile;
            return S_OK;
        }
        cache_drop();
        if (SUCCEEDED(hr = cache_load( name, TRUE, &profile )))
        {
            cache_profile = profile;
            cache_watched = 1 + profile->count;
            *ret = profile;
            return S_OK;
        }
        if (hr == MAPI_E_NOT_FOUND) return hr;
        TRACE( "not caching profile %s, hr %#lx.\n", debugstr_w(name), hr );
    }
    *temp = TRUE;
    return cache_load( name, FALSE, ret );
}

static void cache_put( struct cache_profile *profile, BOOL temp )
{
    if (temp) cache_free_profile( profile );
    LeaveCriticalSection( &cache_cs );
}

static const struct cache_section *cache_find_section( const struct cache_profile *profile, const MAPIUID *uid )
{
    unsigned int i;

    for (i = 0; i < profile->count; i++)
        if (!memcmp( &profile->sections[i].uid, uid, sizeof(*uid) )) return &profile->sections[i];
    return NULL;
}

static const struct profile_value *cache_find_value( const struct cache_section *section, ULONG tag )
{
    WCHAR name[9];
    unsigned int i;

    swprintf( name, ARRAY_SIZE(name), L"%08lx", tag );
    /* value names are case-insensitive, as in the registry */
    for (i = 0; i < section->count; i++)
        if (!wcsicmp( section->values[i].name, name )) return &section->values[i];
    return NULL;
}

void profile_cache_changed(void)
{
    EnterCriticalSection( &cache_cs );
    cache_stale = TRUE;
    LeaveCriticalSection( &cache_cs );
}

/* after the final MAPIUninitialize: the handles go, and the next read starts again */
void profile_cache_free(void)
{
    unsigned int i;

    EnterCriticalSection( &cache_cs );
    cache_drop();
    if (cache_root) RegCloseKey( cache_root );
    cache_root = NULL;
    for (i = 0; i < ARRAY_SIZE(cache_events); i++)
    {
        if (cache_events[i]) CloseHandle( cache_events[i] );
        cache_events[i] = NULL;
    }
    if (cache_set) CloseHandle( cache_set );
    cache_set = NULL;
    cache_watched = 0;
    cache_stale = TRUE;
    LeaveCriticalSection( &cache_cs );
}

void profile_cache_pin(void)
{
    ULONG_PTR pin;

    EnterCriticalSection( &cache_cs );
    if (cache_tls == TLS_OUT_OF_INDEXES) cache_tls = TlsAlloc();
    LeaveCriticalSection( &cache_cs );
    if (cache_tls == TLS_OUT_OF_INDEXES) return;
    pin = (ULONG_PTR)TlsGetValue( cache_tls );
    /* the outermost pin starts unvalidated */
    TlsSetValue( cache_tls, (void *)(pin >> 1 ? pin + 2 : 2) );
}

void profile_cache_unpin(void)
{
    ULONG_PTR pin;

    if (cache_tls == TLS_OUT_OF_INDEXES) return;
    pin = (ULONG_PTR)TlsGetValue( cache_tls );
    if (!(pin >> 1)) return;
    pin -= 2;
    TlsSetValue( cache_tls, (void *)(pin >> 1 ? pin : 0) );
}

HRESULT profile_check( const WCHAR *name )
{
    struct cache_profile *profile;
    HRESULT hr;
    BOOL temp;

    EnterCriticalSection( &cache_cs );
    hr = cache_get( name, &profile, &temp );
    cache_put( profile, temp );
    return hr;
}

HRESULT profile_section_get_values( const WCHAR *name, const MAPIUID *uid, struct profile_value **ret,
                                    unsigned int *ret_count )
{
    const struct cache_section *section;
    struct cache_profile *profile;
    struct profile_value *values = NULL;
    unsigned int i;
    HRESULT hr;
    BOOL temp;

    *ret = NULL;
    *ret_count = 0;
    EnterCriticalSection( &cache_cs );
    if (SUCCEEDED(hr = cache_get( name, &profile, &temp )))
    {
        if (!(section = cache_find_section( profile, uid ))) hr = MAPI_E_NOT_FOUND;
        else if (!(values = calloc( section->count ? section->count : 1, sizeof(*values) )))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; values && i < section->count; i++)
        {
            values[i] = section->values[i];
            if (!(values[i].data = malloc( section->values[i].size + 2 * sizeof(WCHAR) )))
            {
                profile_free_values( values, i );
                values = NULL;
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
                break;
            }
            memcpy( values[i].data, section->values[i].data, section->values[i].size + 2 * sizeof(WCHAR) );
        }
        if (values)
        {
            *ret = values;
            *ret_count = section->count;
        }
    }
    cache_put( profile, temp );
    return hr;
}

HRESULT profile_section_write( const WCHAR *profile, const MAPIUID *uid, ULONG tag, const void *data, DWORD size )
{
    WCHAR name[9];
    HRESULT hr;
    HKEY key;

    if (FAILED(hr = profile_section_open_key( profile, uid, TRUE, KEY_SET_VALUE, &key ))) return hr;
    swprintf( name, ARRAY_SIZE(name), L"%08lx", tag );
    hr = hr_from_win32( RegSetValueExW( key, name, 0, REG_BINARY, data, size ) );
    RegCloseKey( key );
    profile_cache_changed();
    return hr;
}

HRESULT profile_section_read( const WCHAR *name, const MAPIUID *uid, ULONG tag, BYTE **data, DWORD *size )
{
    const struct cache_section *section;
    const struct profile_value *value;
    struct cache_profile *profile;
    HRESULT hr;
    BOOL temp;

    *data = NULL;
    *size = 0;
    EnterCriticalSection( &cache_cs );
    if (SUCCEEDED(hr = cache_get( name, &profile, &temp )))
    {
        if (!(section = cache_find_section( profile, uid )) || !(value = cache_find_value( section, tag )))
            hr = MAPI_E_NOT_FOUND;
        else if (!(*data = malloc( value->size + 2 * sizeof(WCHAR) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else
        {
            memcpy( *data, value->data, value->size + 2 * sizeof(WCHAR) );
            *size = value->size;
        }
    }
    cache_put( profile, temp );
    return hr;
}

static BOOL section_long( const struct cache_section *section, ULONG tag, ULONG *value )
{
    const struct profile_value *found = cache_find_value( section, tag );

    if (!found || found->size != sizeof(*value)) return FALSE;
    memcpy( value, found->data, sizeof(*value) );
    return TRUE;
}

static BOOL section_uid( const struct cache_section *section, ULONG tag, MAPIUID *value )
{
    const struct profile_value *found = cache_find_value( section, tag );

    if (!found || found->size != sizeof(*value)) return FALSE;
    memcpy( value, found->data, sizeof(*value) );
    return TRUE;
}

void profile_free_providers( struct profile_provider *providers, unsigned int count )
{
    unsigned int i;

    for (i = 0; i < count; i++) free( providers[i].dll_name );
    free( providers );
}

HRESULT profile_enum_providers( const WCHAR *name, ULONG resource_type,
                                struct profile_provider **ret, unsigned int *ret_count )
{
    struct profile_provider *providers = NULL, *tmp;
    const struct cache_section *section;
    const struct profile_value *dll;
    struct cache_profile *profile;
    unsigned int count = 0, i;
    MAPIUID provider_uid;
    ULONG type, flags;
    HRESULT hr;
    BOOL temp;

    *ret = NULL;
    *ret_count = 0;
    EnterCriticalSection( &cache_cs );
    if (FAILED(hr = cache_get( name, &profile, &temp )))
    {
        cache_put( profile, temp );
        return hr;
    }
    for (i = 0; i < profile->count; i++)
    {
        section = &profile->sections[i];
        /* provider sections carry their own PR_PROVIDER_UID; service sections do not */
        if (!section_uid( section, PR_PROVIDER_UID, &provider_uid )) continue;
        if (!section_long( section, PR_RESOURCE_TYPE, &type )) continue;
        if (resource_type && type != resource_type) continue;
        if (!section_long( section, PR_RESOURCE_FLAGS, &flags )) flags = 0;

        if (!(tmp = realloc( providers, (count + 1) * sizeof(*providers) )))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        providers = tmp;
        memset( &providers[count], 0, sizeof(providers[count]) );
        providers[count].uid = section->uid;
        section_uid( section, PR_SERVICE_UID, &providers[count].service_uid );
        providers[count].resource_type = type;
        providers[count].resource_flags = flags;
        if ((dll = cache_find_value( section, PR_PROVIDER_DLL_NAME_A ))
                && (providers[count].dll_name = malloc( dll->size + 2 * sizeof(WCHAR) )))
            memcpy( providers[count].dll_name, dll->data, dll->size + 2 * sizeof(WCHAR) );
        count++;
    }
    cache_put( profile, temp );

    if (FAILED(hr))
    {
        profile_free_providers( providers, count );
        return hr;
    }
    *ret = providers;
    *ret_count = count;
    return S_OK;
}

/* strings follow the MAPI_UNICODE flag of the call */
static WCHAR *strdup_flags( const void *str, ULONG flags )
{
    WCHAR *ret;
    int len;

    if (!str) return NULL;
    if (flags & MAPI_UNICODE) return wcsdup( str );
    len = MultiByteToWideChar( CP_ACP, 0, str, -1, NULL, 0 );
    if (!(ret = malloc( len * sizeof(WCHAR) ))) return NULL;
    MultiByteToWideChar( CP_ACP, 0, str, -1, ret, len );
    return ret;
}

static BOOL profile_exists( const WCHAR *name )
{
    HKEY key;

    if (FAILED(profile_open( name, KEY_READ, &key ))) return FALSE;
    RegCloseKey( key );
    return TRUE;
}

static HRESULT copy_key( HKEY src, HKEY dst )
{
    return hr_from_win32( RegCopyTreeW( src, NULL, dst ) );
}

struct profile_admin
{
    IProfAdmin IProfAdmin_iface;
    LONG refcount;
    struct liveness *owner;     /* the process-wide one: R7.11 */
};

static inline struct profile_admin *impl_from_IProfAdmin( IProfAdmin *iface )
{
    return CONTAINING_RECORD( iface, struct profile_admin, IProfAdmin_iface );
}

static HRESULT WINAPI profile_admin_QueryInterface( IProfAdmin *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IProfAdmin ) || IsEqualIID( riid, &IID_IUnknown ))
    {
        *out = iface;
        IProfAdmin_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI profile_admin_AddRef( IProfAdmin *iface )
{
    struct profile_admin *admin = impl_from_IProfAdmin( iface );
    ULONG refcount = InterlockedIncrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI profile_admin_Release( IProfAdmin *iface )
{
    struct profile_admin *admin = impl_from_IProfAdmin( iface );
    ULONG refcount = InterlockedDecrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        liveness_release( admin->owner );
        free( admin );
    }
    return refcount;
}

static HRESULT WINAPI profile_admin_GetLastError( IProfAdmin *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no extended error information is kept */
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI profile_admin_GetProfileTable( IProfAdmin *iface, ULONG flags, IMAPITable **table )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE } };
    WCHAR name[MAX_PROFILE_NAME + 2], *def = NULL;
    SPropValue props[2];
    ITableData *data;
    SRow row;
    HKEY profiles;
    DWORD index, len;
    HRESULT hr;
    char nameA[3 * (MAX_PROFILE_NAME + 2)];

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_UNICODE) FIXME( "MAPI_UNICODE columns not supported.\n" );

    if (FAILED(hr = CreateTable( &IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, PR_DISPLAY_NAME_A, (SPropTagArray *)&columns, &data )))
        return hr;

    profile_get_default( &def );
    if (!open_profiles_key( FALSE, KEY_READ, &profiles ))
    {
        for (index = 0; SUCCEEDED(hr); index++)
        {
            len = ARRAY_SIZE(name);
            if (RegEnumKeyExW( profiles, index, name, &len, NULL, NULL, NULL, NULL )) break;
            if (!valid_profile_name( name )) continue;
            WideCharToMultiByte( CP_ACP, 0, name, -1, nameA, sizeof(nameA), NULL, NULL );
            props[0].ulPropTag = PR_DISPLAY_NAME_A;
            props[0].Value.lpszA = nameA;
            props[1].ulPropTag = PR_DEFAULT_PROFILE;
            props[1].Value.b = def && !wcsicmp( def, name );
            row.cValues = 2;
            row.lpProps = props;
            hr = ITableData_HrModifyRow( data, &row );
        }
        RegCloseKey( profiles );
    }
    free( def );

    if (SUCCEEDED(hr)) hr = table_data_get_view( data, impl_from_IProfAdmin( iface )->owner, table );
    ITableData_Release( data );
    return hr;
}

static HRESULT create_profile( const WCHAR *name )
{
    HKEY profiles, key;
    DWORD disposition;
    HRESULT hr;

    if (FAILED(hr = open_profiles_key( TRUE, KEY_CREATE_SUB_KEY, &profiles ))) return hr;
    hr = hr_from_win32( RegCreateKeyExW( profiles, name, 0, NULL, 0, KEY_READ, NULL, &key, &disposition ) );
    RegCloseKey( profiles );
    if (FAILED(hr)) return hr;
    RegCloseKey( key );
    profile_cache_changed();
    /* another process may have created it since we looked */
    return disposition == REG_OPENED_EXISTING_KEY ? MAPI_E_NO_ACCESS : S_OK;
}

static HRESULT delete_profile( const WCHAR *name )
{
    HKEY profiles;
    WCHAR *def;
    HRESULT hr;

    if (FAILED(hr = open_profiles_key( FALSE, KEY_ALL_ACCESS, &profiles ))) return MAPI_E_NOT_FOUND;
    /* given a subkey, RegDeleteTree removes that key as well */
    hr = hr_from_win32( RegDeleteTreeW( profiles, name ) );
    if (SUCCEEDED(hr) && SUCCEEDED(profile_get_default( &def )))
    {
        if (!wcsicmp( def, name )) RegDeleteValueW( profiles, L"DefaultProfile" );
        free( def );
    }
    RegCloseKey( profiles );
    profile_cache_changed();
    return hr;
}

static HRESULT add_default_services( const WCHAR *profile, ULONG flags )
{
    const struct mapisvc_section *section;
    struct mapisvc_inf *inf;
    IMsgServiceAdmin *admin;
    unsigned int i;
    HRESULT hr;

    if (FAILED(hr = mapisvc_load( &inf ))) return hr;
    if (!(section = mapisvc_find_section( inf, "Default Services" )))
    {
        mapisvc_free( inf );
        return S_OK;
    }
    if (FAILED(hr = msgsvc_admin_create( NULL, profile, &admin )))
    {
        mapisvc_free( inf );
        return hr;
    }
    for (i = 0; i < section->count && SUCCEEDED(hr); i++)
        hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)section->entries[i].key,
                                                (WCHAR *)section->entries[i].value, 0, 0 );
    IMsgServiceAdmin_Release( admin );
    mapisvc_free( inf );
    return hr;
}

static HRESULT WINAPI profile_admin_CreateProfile( IProfAdmin *iface, WCHAR *profile, WCHAR *password,
                                                   ULONG_PTR ui_param, ULONG flags )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#Ix, %#lx.\n", iface, profile, password, ui_param, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DEFAULT_SERVICES | MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_INVALID_PARAMETER;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    TRACE( "name %s.\n", debugstr_w(name) );

    if (!valid_profile_name( name ))
    {
        free( name );
        return MAPI_E_INVALID_PARAMETER;
    }
    if (SUCCEEDED(hr = create_profile( name )) && (flags & MAPI_DEFAULT_SERVICES))
    {
        /* a profile whose default services could not be set up is not left behind */
        if (FAILED(hr = add_default_services( name, flags ))) delete_profile( name );
    }
    free( name );
    return hr;
}

static HRESULT WINAPI profile_admin_DeleteProfile( IProfAdmin *iface, WCHAR *profile, ULONG flags )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, profile, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_INVALID_PARAMETER;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    TRACE( "name %s.\n", debugstr_w(name) );

    hr = profile_exists( name ) ? delete_profile( name ) : MAPI_E_NOT_FOUND;
    free( name );
    return hr;
}

static HRESULT WINAPI profile_admin_ChangeProfilePassword( IProfAdmin *iface, WCHAR *profile, WCHAR *old_password,
                                                           WCHAR *new_password, ULONG flags )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %#lx.\n", iface, profile, old_password, new_password, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_INVALID_PARAMETER;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* profiles carry no password, so there is nothing to store */
    hr = profile_exists( name ) ? S_OK : MAPI_E_NOT_FOUND;
    free( name );
    return hr;
}

static HRESULT copy_profile( const WCHAR *old_name, const WCHAR *new_name )
{
    HKEY src, dst;
    HRESULT hr;

    if (FAILED(hr = profile_open( old_name, KEY_READ, &src ))) return MAPI_E_NOT_FOUND;
    if (FAILED(hr = create_profile( new_name )))
    {
        RegCloseKey( src );
        return hr;
    }
    if (SUCCEEDED(hr = profile_open( new_name, KEY_ALL_ACCESS, &dst )))
    {
        hr = copy_key( src, dst );
        RegCloseKey( dst );
        profile_cache_changed();
    }
    RegCloseKey( src );
    if (FAILED(hr)) delete_profile( new_name );
    return hr;
}

static HRESULT WINAPI profile_admin_CopyProfile( IProfAdmin *iface, WCHAR *old_profile, WCHAR *old_password,
                                                 WCHAR *new_profile, ULONG_PTR ui_param, ULONG flags )
{
    WCHAR *old_name, *new_name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %#Ix, %#lx.\n", iface, old_profile, old_password, new_profile, ui_param, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!old_profile || !new_profile) return MAPI_E_INVALID_PARAMETER;
    old_name = strdup_flags( old_profile, flags );
    new_name = strdup_flags( new_profile, flags );
    if (!old_name || !new_name) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!valid_profile_name( new_name )) hr = MAPI_E_INVALID_PARAMETER;
    else if (!profile_exists( old_name )) hr = MAPI_E_NOT_FOUND;
    else hr = copy_profile( old_name, new_name );
    free( old_name );
    free( new_name );
    return hr;
}

static HRESULT WINAPI profile_admin_RenameProfile( IProfAdmin *iface, WCHAR *old_profile, WCHAR *old_password,
                                                   WCHAR *new_profile, ULONG_PTR ui_param, ULONG flags )
{
    WCHAR *old_name, *new_name, *def = NULL;
    HKEY profiles;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %#Ix, %#lx.\n", iface, old_profile, old_password, new_profile, ui_param, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!old_profile || !new_profile) return MAPI_E_INVALID_PARAMETER;
    old_name = strdup_flags( old_profile, flags );
    new_name = strdup_flags( new_profile, flags );
    if (!old_name || !new_name) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!valid_profile_name( new_name )) hr = MAPI_E_INVALID_PARAMETER;
    else if (!profile_exists( old_name )) hr = MAPI_E_NOT_FOUND;
    else
    {
        profile_get_default( &def );
        if (SUCCEEDED(hr = copy_profile( old_name, new_name )))
        {
            delete_profile( old_name );
            /* the default profile stays the default under its new name */
            if (def && !wcsicmp( def, old_name ) && !open_profiles_key( FALSE, KEY_SET_VALUE, &profiles ))
            {
                RegSetValueExW( profiles, L"DefaultProfile", 0, REG_SZ, (BYTE *)new_name,
                                (wcslen( new_name ) + 1) * sizeof(WCHAR) );
                RegCloseKey( profiles );
            }
        }
        free( def );
    }
    free( old_name );
    free( new_name );
    return hr;
}

static HRESULT WINAPI profile_admin_SetDefaultProfile( IProfAdmin *iface, WCHAR *profile, ULONG flags )
{
    HKEY profiles;
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, profile, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = open_profiles_key( TRUE, KEY_SET_VALUE, &profiles ))) return hr;
    /* a NULL name leaves no default profile */
    if (!profile)
    {
        RegDeleteValueW( profiles, L"DefaultProfile" );
        RegCloseKey( profiles );
        return S_OK;
    }
    if (!(name = strdup_flags( profile, flags ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!profile_exists( name )) hr = MAPI_E_NOT_FOUND;
    else hr = hr_from_win32( RegSetValueExW( profiles, L"DefaultProfile", 0, REG_SZ, (BYTE *)name,
                                             (wcslen( name ) + 1) * sizeof(WCHAR) ) );
    free( name );
    RegCloseKey( profiles );
    return hr;
}

static HRESULT WINAPI profile_admin_AdminServices( IProfAdmin *iface, WCHAR *profile, WCHAR *password,
                                                   ULONG_PTR ui_param, ULONG flags, IMsgServiceAdmin **admin )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#Ix, %#lx, %p.\n", iface, profile, password, ui_param, flags, admin );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!admin) return MAPI_E_INVALID_PARAMETER;
    *admin = NULL;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_LOGON_FAILED;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* an unknown profile is a failed logon to it */
    hr = profile_exists( name ) ? msgsvc_admin_create( impl_from_IProfAdmin( iface )->owner, name, admin )
                                : MAPI_E_LOGON_FAILED;
    free( name );
    return hr;
}

static const IProfAdminVtbl profile_admin_vtbl =
{
    profile_admin_QueryInterface,
    profile_admin_AddRef,
    profile_admin_Release,
    profile_admin_GetLastError,
    profile_admin_GetProfileTable,
    profile_admin_CreateProfile,
    profile_admin_DeleteProfile,
    profile_admin_ChangeProfilePassword,
    profile_admin_CopyProfile,
    profile_admin_RenameProfile,
    profile_admin_SetDefaultProfile,
    profile_admin_AdminServices,
};

/***********************************************************************
 *              MAPIAdminProfiles (winemapix.@)
 */
HRESULT WINAPI MAPIAdminProfiles( ULONG flags, IProfAdmin **out )
{
    struct profile_admin *admin;

    TRACE( "%#lx, %p.\n", flags, out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;

    if (!(admin = calloc( 1, sizeof(*admin) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(admin->owner = liveness_process()))
    {
        free( admin );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    admin->IProfAdmin_iface.lpVtbl = &profile_admin_vtbl;
    admin->refcount = 1;
    *out = &admin->IProfAdmin_iface;
    return S_OK;
}
