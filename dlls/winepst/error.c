/*
 * winepst: error codes, MAPIERROR structures and string conversions
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

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

HRESULT hresult_from_pst( int err )
{
    switch (err)
    {
    case PST_OK:            return S_OK;
    case PST_E_IO:          return MAPI_E_DISK_ERROR;
    case PST_E_NOMEM:       return MAPI_E_NOT_ENOUGH_MEMORY;
    case PST_E_CORRUPT:     return MAPI_E_CORRUPT_DATA;
    case PST_E_UNSUPPORTED: return MAPI_E_NO_SUPPORT;
    case PST_E_NOT_FOUND:   return MAPI_E_NOT_FOUND;
    case PST_E_INVALID_ARG: return MAPI_E_INVALID_PARAMETER;
    case PST_E_TOO_BIG:     return MAPI_E_NOT_ENOUGH_MEMORY;
    case PST_E_READ_ONLY:   return MAPI_E_NO_ACCESS;
    case PST_E_LOCKED:      return MAPI_E_NO_ACCESS;
    case PST_E_STATE:       return MAPI_E_CALL_FAILED;
    }
    ERR( "unknown engine error %d\n", err );
    return MAPI_E_CALL_FAILED;
}

static const WCHAR *describe( HRESULT result )
{
    switch (result)
    {
    case MAPI_E_NOT_FOUND:          return L"The Personal Folders file or the item was not found.";
    case MAPI_E_CORRUPT_STORE:
    case MAPI_E_CORRUPT_DATA:       return L"The Personal Folders file is damaged.";
    case MAPI_E_DISK_ERROR:         return L"The Personal Folders file could not be read or written.";
    case MAPI_E_NO_ACCESS:          return L"The Personal Folders file is open read-only.";
    case MAPI_E_NOT_ENOUGH_MEMORY:  return L"Not enough memory.";
    case MAPI_E_NO_SUPPORT:         return L"The Personal Folders store does not support this.";
    case MAPI_E_UNCONFIGURED:       return L"No Personal Folders file is configured for this service.";
    case MAPI_E_INVALID_OBJECT:     return L"The store was logged off.";
    default:                        return L"The Personal Folders store failed.";
    }
}

/* Copies STR into the chain of PARENT, as UTF-16 or in the ANSI code page. */
static HRESULT copy_string( const struct mapi_allocators *alloc, void *parent, const WCHAR *str, BOOL unicode,
                            void **out )
{
    int size;
    SCODE sc;

    if (unicode)
    {
        size = (wcslen( str ) + 1) * sizeof(WCHAR);
        if (FAILED(sc = alloc->allocate_more( size, parent, out ))) return sc;
        memcpy( *out, str, size );
        return S_OK;
    }
    size = WideCharToMultiByte( CP_ACP, 0, str, -1, NULL, 0, NULL, NULL );
    if (FAILED(sc = alloc->allocate_more( size, parent, out ))) return sc;
    WideCharToMultiByte( CP_ACP, 0, str, -1, *out, size, NULL, NULL );
    return S_OK;
}

HRESULT mapi_error_create( const struct mapi_allocators *alloc, HRESULT result, ULONG flags, const WCHAR *text,
                           MAPIERROR **error )
{
    BOOL unicode = !!(flags & MAPI_UNICODE);
    WCHAR message[MAX_PATH + 64];
    MAPIERROR *err;
    HRESULT hr;

    *error = NULL;
    if (FAILED(hr = alloc->allocate_buffer( sizeof(*err), (void **)&err ))) return hr;
    memset( err, 0, sizeof(*err) );
    err->ulVersion = MAPI_ERROR_VERSION;
    if (text) swprintf( message, ARRAY_SIZE(message), L"%s (%s)", describe( result ), text );
    else wcscpy( message, describe( result ) );
    if (FAILED(hr = copy_string( alloc, err, message, unicode, (void **)&err->lpszError ))
            || FAILED(hr = copy_string( alloc, err, L"winepst", unicode, (void **)&err->lpszComponent )))
    {
        alloc->free_buffer( err );
        return hr;
    }
    *error = err;
    return S_OK;
}

WCHAR *strdup_a_to_w( const char *text )
{
    int len = MultiByteToWideChar( CP_ACP, 0, text, -1, NULL, 0 );
    WCHAR *str;

    if (!(str = malloc( len * sizeof(WCHAR) ))) return NULL;
    MultiByteToWideChar( CP_ACP, 0, text, -1, str, len );
    return str;
}
