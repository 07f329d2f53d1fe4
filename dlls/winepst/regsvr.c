/*
 * winepst: registration of the Personal Folders services in mapisvc.inf
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
 * Registration merges two services into mapisvc.inf in the system
 * directory: "MSUPST MS", the name programs use for a Unicode PST, and
 * "MSPST MS", its ANSI-era name; both are answered by this DLL.  Every
 * line registration adds follows a marker comment, so that unregistration
 * removes exactly those lines and leaves every other byte as it was.
 * Services some other product already registered under those names (an
 * installed Outlook) are left alone.
 *
 * DLL names: MAPI loads a DLL registered as "name.ext" from "name32.ext"
 * (R1.12), as Outlook's mspst.dll is loaded from mspst32.dll.  We register
 * "winepst.dll"; winemapix falls back to the registered name when no "32"
 * file exists, so nothing is copied.
 */

#include <stdlib.h>
#include <string.h>

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

#define ENTRY_MARKER   ";winepst:entry"
#define SECTION_MARKER ";winepst:section"
/* on a marker: the line before it had no line break, registration added one */
#define NOEOL_SUFFIX   "-noeol"

struct service_desc
{
    const char *name;           /* in [Services] and as the section name */
    const char *description;    /* the [Services] value */
    const char *provider;       /* the provider section */
    const char *display;        /* PR_PROVIDER_DISPLAY */
};

static const struct service_desc services[] =
{
    { "MSUPST MS", "Personal Folders File (.pst)", "MSUPST MSP", "Personal Folders File (.pst)" },
    { "MSPST MS", "Personal Folders File (97-2002)", "MSPST MSP", "Personal Folders File (97-2002)" },
};

struct buffer
{
    char *data;
    size_t size;
    size_t capacity;
    BOOL failed;
};

static void append( struct buffer *buf, const char *data, size_t size )
{
    char *tmp;

    if (buf->failed) return;
    if (buf->size + size > buf->capacity)
    {
        size_t capacity = max( buf->capacity * 2, buf->size + size + 256 );
        if (!(tmp = realloc( buf->data, capacity )))
        {
            buf->failed = TRUE;
            return;
        }
        buf->data = tmp;
        buf->capacity = capacity;
    }
    memcpy( buf->data + buf->size, data, size );
    buf->size += size;
}

static void append_str( struct buffer *buf, const char *str )
{
    append( buf, str, strlen( str ) );
}

static void append_line( struct buffer *buf, const char *str, const char *eol )
{
    append_str( buf, str );
    append_str( buf, eol );
}

/* The next line of DATA from *POS: its content without the line break, and its full size. */
static BOOL next_line( const char *data, size_t size, size_t *pos, const char **line, size_t *len, size_t *full )
{
    const char *start = data + *pos, *end = data + size, *p;

    if (*pos >= size) return FALSE;
    if (!(p = memchr( start, '\n', end - start ))) p = end;
    *line = start;
    *full = (p < end ? p + 1 : p) - start;
    if (p > start && p[-1] == '\r') p--;
    *len = p - start;
    *pos += *full;
    return TRUE;
}

static BOOL line_starts( const char *line, size_t len, const char *prefix )
{
    size_t plen = strlen( prefix );
    return len >= plen && !memcmp( line, prefix, plen );
}

static BOOL line_is( const char *line, size_t len, const char *str )
{
    return len == strlen( str ) && !memcmp( line, str, len );
}

/* Removes a line break at the end of BUF, the one a "-noeol" marker says we added. */
static void strip_eol( struct buffer *buf )
{
    if (buf->size && buf->data[buf->size - 1] == '\n') buf->size--;
    if (buf->size && buf->data[buf->size - 1] == '\r') buf->size--;
}

static BOOL is_header( const char *line, size_t len )
{
    while (len && (*line == ' ' || *line == '\t'))
    {
        line++;
        len--;
    }
    return len && *line == '[';
}

/* DATA without everything registration added. */
static BOOL remove_ours( const char *data, size_t size, struct buffer *out )
{
    size_t pos = 0, len, full, skip_pos, skip_len, skip_full;
    const char *line, *skip;

    while (next_line( data, size, &pos, &line, &len, &full ))
    {
        if (line_starts( line, len, ENTRY_MARKER ))
        {
            if (line_is( line, len, ENTRY_MARKER NOEOL_SUFFIX )) strip_eol( out );
            /* the entry itself */
            next_line( data, size, &pos, &skip, &skip_len, &skip_full );
            continue;
        }
        if (line_starts( line, len, SECTION_MARKER ))
        {
            if (line_is( line, len, SECTION_MARKER NOEOL_SUFFIX )) strip_eol( out );
            /* the header, then everything up to the next section or marker */
            next_line( data, size, &pos, &skip, &skip_len, &skip_full );
            for (skip_pos = pos; next_line( data, size, &skip_pos, &skip, &skip_len, &skip_full ); pos = skip_pos)
                if (is_header( skip, skip_len ) || line_starts( skip, skip_len, ";winepst:" )) break;
            continue;
        }
        append( out, line, full );
    }
    return !out->failed;
}

/* Section name of a header line, without brackets and blanks. */
static BOOL header_is( const char *line, size_t len, const char *name )
{
    const char *end = line + len, *close;

    while (line < end && (*line == ' ' || *line == '\t')) line++;
    if (line == end || *line != '[') return FALSE;
    line++;
    if (!(close = memchr( line, ']', end - line ))) return FALSE;
    while (line < close && (*line == ' ' || *line == '\t')) line++;
    while (close > line && (close[-1] == ' ' || close[-1] == '\t')) close--;
    return close - line == strlen( name ) && !_strnicmp( line, name, close - line );
}

static BOOL key_is( const char *line, size_t len, const char *name )
{
    const char *end, *eq = memchr( line, '=', len );

    if (!eq) return FALSE;
    while (line < eq && (*line == ' ' || *line == '\t')) line++;
    end = eq;
    while (end > line && (end[-1] == ' ' || end[-1] == '\t')) end--;
    return end - line == strlen( name ) && !_strnicmp( line, name, end - line );
}

static BOOL has_section( const char *data, size_t size, const char *name )
{
    size_t pos = 0, len, full;
    const char *line;

    while (next_line( data, size, &pos, &line, &len, &full ))
        if (header_is( line, len, name )) return TRUE;
    return FALSE;
}

/* Offset just past the first [Services] header line, or -1; *key_found
 * tells whether that section has the key NAME. */
static SSIZE_T find_services( const char *data, size_t size, const char *name, BOOL *key_found )
{
    size_t pos = 0, len, full;
    SSIZE_T ret = -1;
    const char *line;

    *key_found = FALSE;
    while (next_line( data, size, &pos, &line, &len, &full ))
    {
        if (is_header( line, len ))
        {
            if (ret != -1) break;
            if (header_is( line, len, "Services" )) ret = pos;
            continue;
        }
        if (ret != -1 && key_is( line, len, name )) *key_found = TRUE;
    }
    return ret;
}

static void append_sections( struct buffer *buf, const struct service_desc *desc, const char *eol,
                             const char *marker )
{
    char line[128], hex[2 * sizeof(MAPIUID) + 1];
    unsigned int i;

    for (i = 0; i < sizeof(MAPIUID); i++) sprintf( hex + 2 * i, "%02X", winepst_provider_uid.ab[i] );

    append_line( buf, marker, eol );
    sprintf( line, "[%s]", desc->name );
    append_line( buf, line, eol );
    append_line( buf, "PR_DISPLAY_NAME=Personal Folders", eol );
    append_line( buf, "PR_SERVICE_DLL_NAME=winepst.dll", eol );
    append_line( buf, "PR_SERVICE_ENTRY_NAME=ServiceEntry", eol );
    append_line( buf, "PR_RESOURCE_FLAGS=SERVICE_DEFAULT_STORE|SERVICE_NO_PRIMARY_IDENTITY", eol );
    sprintf( line, "Providers=%s", desc->provider );
    append_line( buf, line, eol );

    append_line( buf, SECTION_MARKER, eol );
    sprintf( line, "[%s]", desc->provider );
    append_line( buf, line, eol );
    append_line( buf, "PR_PROVIDER_DLL_NAME=winepst.dll", eol );
    append_line( buf, "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER", eol );
    append_line( buf, "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE", eol );
    append_line( buf, "PR_DISPLAY_NAME=Personal Folders", eol );
    sprintf( line, "PR_PROVIDER_DISPLAY=%s", desc->display );
    append_line( buf, line, eol );
    sprintf( line, "PR_MDB_PROVIDER=%s", hex );
    append_line( buf, line, eol );
}

/* BASE (already without our lines) with our services merged in. */
static BOOL add_ours( const char *base, size_t size, struct buffer *out )
{
    BOOL wanted[ARRAY_SIZE(services)], key_found, noeol;
    const char *eol = "\r\n", *nl;
    char line[128];
    SSIZE_T services_end = -1;
    unsigned int i;

    /* new lines follow the file's own line breaks */
    if ((nl = memchr( base, '\n', size ))) eol = (nl > base && nl[-1] == '\r') ? "\r\n" : "\n";

    for (i = 0; i < ARRAY_SIZE(services); i++)
    {
        services_end = find_services( base, size, services[i].name, &key_found );
        wanted[i] = !key_found && !has_section( base, size, services[i].name )
                    && !has_section( base, size, services[i].provider );
        if (!wanted[i]) WARN( "%s is registered by another product, leaving it alone.\n", services[i].name );
    }

    if (services_end != -1)
    {
        /* our entries go first in the existing [Services] */
        noeol = services_end && base[services_end - 1] != '\n';
        append( out, base, services_end );
        if (noeol) append_str( out, eol );
        for (i = 0; i < ARRAY_SIZE(services); i++)
        {
            if (!wanted[i]) continue;
            append_line( out, noeol ? ENTRY_MARKER NOEOL_SUFFIX : ENTRY_MARKER, eol );
            noeol = FALSE;
            sprintf( line, "%s=%s", services[i].name, services[i].description );
            append_line( out, line, eol );
        }
        append( out, base + services_end, size - services_end );
    }
    else append( out, base, size );

    noeol = out->size && out->data[out->size - 1] != '\n';
    if (noeol) append_str( out, eol );
    if (services_end == -1)
    {
        append_line( out, noeol ? SECTION_MARKER NOEOL_SUFFIX : SECTION_MARKER, eol );
        noeol = FALSE;
        append_line( out, "[Services]", eol );
        for (i = 0; i < ARRAY_SIZE(services); i++)
        {
            if (!wanted[i]) continue;
            sprintf( line, "%s=%s", services[i].name, services[i].description );
            append_line( out, line, eol );
        }
    }
    for (i = 0; i < ARRAY_SIZE(services); i++)
    {
        if (!wanted[i]) continue;
        append_sections( out, &services[i], eol, noeol ? SECTION_MARKER NOEOL_SUFFIX : SECTION_MARKER );
        noeol = FALSE;
    }
    return !out->failed;
}

static HRESULT system_file( const WCHAR *name, WCHAR *path )
{
    UINT len = GetSystemDirectoryW( path, MAX_PATH );

    if (!len || len + 1 + wcslen( name ) >= MAX_PATH) return E_FAIL;
    wcscat( path, L"\\" );
    wcscat( path, name );
    return S_OK;
}

static HRESULT read_file( const WCHAR *path, char **data, size_t *size )
{
    LARGE_INTEGER file_size;
    HANDLE file;
    DWORD read;

    *data = NULL;
    *size = 0;
    file = CreateFileW( path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL );
    if (file == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_FILE_NOT_FOUND ? S_FALSE : HRESULT_FROM_WIN32( GetLastError() );
    if (!GetFileSizeEx( file, &file_size ) || file_size.QuadPart > 16 * 1024 * 1024
            || !(*data = malloc( file_size.QuadPart + 1 ))
            || !ReadFile( file, *data, file_size.QuadPart, &read, NULL ) || read != file_size.QuadPart)
    {
        free( *data );
        *data = NULL;
        CloseHandle( file );
        return E_FAIL;
    }
    CloseHandle( file );
    *size = read;
    return S_OK;
}

static HRESULT write_file( const WCHAR *path, const char *data, size_t size )
{
    HANDLE file;
    DWORD written;
    BOOL ret;

    file = CreateFileW( path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL );
    if (file == INVALID_HANDLE_VALUE) return HRESULT_FROM_WIN32( GetLastError() );
    ret = !size || (WriteFile( file, data, size, &written, NULL ) && written == size);
    CloseHandle( file );
    return ret ? S_OK : E_FAIL;
}

/* Rewrites mapisvc.inf; REGISTER adds our services, otherwise they go. */
static HRESULT update_mapisvc( BOOL do_register )
{
    struct buffer base = { 0 }, out = { 0 };
    WCHAR path[MAX_PATH];
    size_t size;
    char *data;
    HRESULT hr, exists;

    if (FAILED(hr = system_file( L"mapisvc.inf", path ))) return hr;
    if (FAILED(exists = read_file( path, &data, &size ))) return exists;

    if (!remove_ours( data ? data : "", size, &base )) hr = E_OUTOFMEMORY;
    else if (do_register)
    {
        if (!add_ours( base.data ? base.data : "", base.size, &out )) hr = E_OUTOFMEMORY;
        else hr = write_file( path, out.data, out.size );
    }
    else if (exists == S_OK && (base.size != size || (size && memcmp( base.data, data, size ))))
    {
        /* a file that held only what we added was created by us */
        if (!base.size) hr = DeleteFileW( path ) ? S_OK : HRESULT_FROM_WIN32( GetLastError() );
        else hr = write_file( path, base.data, base.size );
    }
    free( data );
    free( base.data );
    free( out.data );
    return hr;
}

/***********************************************************************
 *              DllRegisterServer (winepst.@)
 */
HRESULT WINAPI DllRegisterServer(void)
{
    TRACE( "\n" );

    return update_mapisvc( TRUE );
}

/***********************************************************************
 *              DllUnregisterServer (winepst.@)
 */
HRESULT WINAPI DllUnregisterServer(void)
{
    TRACE( "\n" );

    return update_mapisvc( FALSE );
}
