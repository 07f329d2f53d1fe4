/*
 * mapisvc.inf reader
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
 * The parser works on a plain buffer and uses no COM, so that it can be
 * built and fuzzed on its own.  The file is ANSI text: "[section]" headers,
 * "key=value" lines, ';' comments.  Every access is bounded by the size given.
 */

#include <stdlib.h>
#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* largest mapisvc.inf we accept; real ones are a few kilobytes */
#define MAPISVC_MAX_SIZE (16 * 1024 * 1024)

static char *dup_range( const char *start, const char *end )
{
    char *ret;

    while (start < end && (*start == ' ' || *start == '\t')) start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    if (!(ret = malloc( end - start + 1 ))) return NULL;
    memcpy( ret, start, end - start );
    ret[end - start] = 0;
    return ret;
}

static BOOL add_section( struct mapisvc_inf *inf, char *name )
{
    struct mapisvc_section *sections;

    if (!(sections = realloc( inf->sections, (inf->count + 1) * sizeof(*sections) ))) return FALSE;
    inf->sections = sections;
    sections[inf->count].name = name;
    sections[inf->count].entries = NULL;
    sections[inf->count].count = 0;
    inf->count++;
    return TRUE;
}

static BOOL add_entry( struct mapisvc_section *section, char *key, char *value )
{
    struct mapisvc_entry *entries;

    if (!(entries = realloc( section->entries, (section->count + 1) * sizeof(*entries) ))) return FALSE;
    section->entries = entries;
    entries[section->count].key = key;
    entries[section->count].value = value;
    section->count++;
    return TRUE;
}

void mapisvc_free( struct mapisvc_inf *inf )
{
    unsigned int i, j;

    if (!inf) return;
    for (i = 0; i < inf->count; i++)
    {
        for (j = 0; j < inf->sections[i].count; j++)
        {
            free( inf->sections[i].entries[j].key );
            free( inf->sections[i].entries[j].value );
        }
        free( inf->sections[i].entries );
        free( inf->sections[i].name );
    }
    free( inf->sections );
    free( inf );
}

HRESULT mapisvc_parse( const char *data, size_t size, struct mapisvc_inf **ret )
{
    struct mapisvc_inf *inf;
    const char *p = data, *end = data + size, *line_end, *eq, *close;
    char *key, *value;

    *ret = NULL;
    if (!data && size) return MAPI_E_INVALID_PARAMETER;
    if (!(inf = calloc( 1, sizeof(*inf) ))) return MAPI_E_NOT_ENOUGH_MEMORY;

    /* skip a UTF-8 byte order mark */
    if (size >= 3 && !memcmp( p, "\xef\xbb\xbf", 3 )) p += 3;

    while (p < end)
    {
        line_end = p;
        while (line_end < end && *line_end != '\n' && *line_end) line_end++;

        while (p < line_end && (*p == ' ' || *p == '\t')) p++;
        if (p < line_end && *p == '[')
        {
            for (close = p + 1; close < line_end && *close != ']'; close++);
            /* a header without its closing bracket is ignored, as is the section body under it */
            if (close < line_end)
            {
                if (!(key = dup_range( p + 1, close )) || !add_section( inf, key ))
                {
                    free( key );
                    goto oom;
                }
            }
        }
        else if (p < line_end && *p != ';' && inf->count)
        {
            for (eq = p; eq < line_end && *eq != '='; eq++);
            if (eq < line_end)
            {
                key = dup_range( p, eq );
                value = dup_range( eq + 1, line_end );
                if (!key || !value || !add_entry( &inf->sections[inf->count - 1], key, value ))
                {
                    free( key );
                    free( value );
                    goto oom;
                }
            }
        }
        /* an embedded NUL ends the file, like the end of the buffer */
        if (line_end < end && !*line_end) break;
        p = line_end + 1;
    }

    *ret = inf;
    return S_OK;

oom:
    mapisvc_free( inf );
    return MAPI_E_NOT_ENOUGH_MEMORY;
}

HRESULT mapisvc_load( struct mapisvc_inf **inf )
{
    WCHAR path[MAX_PATH];
    LARGE_INTEGER size;
    HANDLE file;
    DWORD read;
    HRESULT hr;
    char *data;
    UINT len;

    *inf = NULL;
    len = GetSystemDirectoryW( path, MAX_PATH );
    if (!len || len + 13 > MAX_PATH) return MAPI_E_CALL_FAILED;
    lstrcatW( path, L"\\mapisvc.inf" );

    file = CreateFileW( path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL );
    if (file == INVALID_HANDLE_VALUE)
    {
        WARN( "no %s.\n", debugstr_w(path) );
        return MAPI_E_NOT_FOUND;
    }
    if (!GetFileSizeEx( file, &size ) || size.QuadPart > MAPISVC_MAX_SIZE)
    {
        CloseHandle( file );
        return MAPI_E_CALL_FAILED;
    }
    if (!(data = malloc( size.QuadPart + 1 )))
    {
        CloseHandle( file );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (!ReadFile( file, data, size.QuadPart, &read, NULL )) read = 0;
    CloseHandle( file );

    hr = mapisvc_parse( data, read, inf );
    free( data );
    return hr;
}

const struct mapisvc_section *mapisvc_find_section( const struct mapisvc_inf *inf, const char *name )
{
    unsigned int i;

    for (i = 0; i < inf->count; i++)
        if (!_stricmp( inf->sections[i].name, name )) return &inf->sections[i];
    return NULL;
}

const char *mapisvc_get_value( const struct mapisvc_section *section, const char *key )
{
    unsigned int i;

    if (!section) return NULL;
    for (i = 0; i < section->count; i++)
        if (!_stricmp( section->entries[i].key, key )) return section->entries[i].value;
    return NULL;
}

struct name_value
{
    const char *name;
    ULONG value;
};

/* property names mapisvc.inf files use; strings are stored in their 8-bit form, as the file is ANSI */
static const struct name_value prop_names[] =
{
    { "PR_AB_PROVIDER_ID", PROP_TAG( PT_BINARY, 0x3615 ) },
    { "PR_COMMENT", PROP_TAG( PT_STRING8, 0x3004 ) },
    { "PR_DISPLAY_NAME", PROP_TAG( PT_STRING8, 0x3001 ) },
    { "PR_MDB_PROVIDER", PROP_TAG( PT_BINARY, 0x3414 ) },
    { "PR_PROVIDER_DISPLAY", PROP_TAG( PT_STRING8, 0x3006 ) },
    { "PR_PROVIDER_DLL_NAME", PROP_TAG( PT_STRING8, 0x300a ) },
    { "PR_PROVIDER_ORDINAL", PROP_TAG( PT_LONG, 0x300d ) },
    { "PR_RESOURCE_FLAGS", PROP_TAG( PT_LONG, 0x3009 ) },
    { "PR_RESOURCE_TYPE", PROP_TAG( PT_LONG, 0x3e03 ) },
    { "PR_SERVICE_DELETE_FILES", PROP_TAG( PT_MV_STRING8, 0x3d10 ) },
    { "PR_SERVICE_DLL_NAME", PROP_TAG( PT_STRING8, 0x3d0a ) },
    { "PR_SERVICE_ENTRY_NAME", PROP_TAG( PT_STRING8, 0x3d0b ) },
    { "PR_SERVICE_NAME", PROP_TAG( PT_STRING8, 0x3d09 ) },
    { "PR_SERVICE_SUPPORT_FILES", PROP_TAG( PT_MV_STRING8, 0x3d0f ) },
};

/* symbolic values allowed for PT_LONG properties, combined with '|' */
static const struct name_value long_names[] =
{
    { "HOOK_INBOUND", HOOK_INBOUND },
    { "HOOK_OUTBOUND", HOOK_OUTBOUND },
    { "MAPI_AB", MAPI_AB },
    { "MAPI_AB_PROVIDER", MAPI_AB_PROVIDER },
    { "MAPI_HOOK_PROVIDER", MAPI_HOOK_PROVIDER },
    { "MAPI_PROFILE_PROVIDER", MAPI_PROFILE_PROVIDER },
    { "MAPI_SPOOLER", MAPI_SPOOLER },
    { "MAPI_STORE_PROVIDER", MAPI_STORE_PROVIDER },
    { "MAPI_SUBSYSTEM", MAPI_SUBSYSTEM },
    { "MAPI_TRANSPORT_PROVIDER", MAPI_TRANSPORT_PROVIDER },
    { "SERVICE_CREATE_WITH_STORE", SERVICE_CREATE_WITH_STORE },
    { "SERVICE_DEFAULT_STORE", SERVICE_DEFAULT_STORE },
    { "SERVICE_NO_PRIMARY_IDENTITY", SERVICE_NO_PRIMARY_IDENTITY },
    { "SERVICE_PRIMARY_IDENTITY", SERVICE_PRIMARY_IDENTITY },
    { "SERVICE_SINGLE_COPY", SERVICE_SINGLE_COPY },
    { "STATUS_DEFAULT_OUTBOUND", STATUS_DEFAULT_OUTBOUND },
    { "STATUS_DEFAULT_STORE", STATUS_DEFAULT_STORE },
    { "STATUS_NEED_IPM_TREE", STATUS_NEED_IPM_TREE },
    { "STATUS_NO_DEFAULT_STORE", STATUS_NO_DEFAULT_STORE },
    { "STATUS_NO_PRIMARY_IDENTITY", STATUS_NO_PRIMARY_IDENTITY },
    { "STATUS_OWN_STORE", STATUS_OWN_STORE },
    { "STATUS_PRIMARY_IDENTITY", STATUS_PRIMARY_IDENTITY },
    { "STATUS_PRIMARY_STORE", STATUS_PRIMARY_STORE },
    { "STATUS_SECONDARY_STORE", STATUS_SECONDARY_STORE },
    { "STATUS_SIMPLE_STORE", STATUS_SIMPLE_STORE },
    { "STATUS_TEMP_SECTION", STATUS_TEMP_SECTION },
    { "STATUS_XP_PREFER_LAST", STATUS_XP_PREFER_LAST },
};

static int hex_digit( char c )
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* exactly eight hex digits, as numeric tags are written */
static BOOL parse_hex8( const char *str, ULONG *ret )
{
    ULONG value = 0;
    int i, digit;

    for (i = 0; i < 8; i++)
    {
        if ((digit = hex_digit( str[i] )) < 0) return FALSE;
        value = (value << 4) | digit;
    }
    if (str[8]) return FALSE;
    *ret = value;
    return TRUE;
}

static BOOL parse_binary( const char *value, BYTE **data, DWORD *size )
{
    size_t len = strlen( value ), i;
    int hi, lo;

    if (len % 2) return FALSE;
    if (!(*data = malloc( len / 2 + 1 ))) return FALSE;
    for (i = 0; i < len / 2; i++)
    {
        if ((hi = hex_digit( value[2 * i] )) < 0 || (lo = hex_digit( value[2 * i + 1] )) < 0)
        {
            free( *data );
            *data = NULL;
            return FALSE;
        }
        (*data)[i] = (hi << 4) | lo;
    }
    *size = len / 2;
    return TRUE;
}

/* a PT_LONG value: flag and type names joined by '|', decimal or 0x-prefixed numbers;
 * eight bare hex digits are the value's bytes in memory order, as numeric-tag lines
 * such as "66090003=06000000" write them */
static BOOL parse_long( const char *value, LONG *ret )
{
    const char *p = value, *start, *end;
    ULONG result = 0, number;
    unsigned int i;
    char *stop;
    BYTE bytes[4];
    int hi, lo;

    if (strlen( value ) == 8)
    {
        for (i = 0; i < 4; i++)
        {
            if ((hi = hex_digit( value[2 * i] )) < 0 || (lo = hex_digit( value[2 * i + 1] )) < 0) break;
            bytes[i] = (hi << 4) | lo;
        }
        if (i == 4)
        {
            *ret = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | ((ULONG)bytes[3] << 24);
            return TRUE;
        }
    }

    for (;;)
    {
        while (*p == ' ' || *p == '\t') p++;
        start = p;
        while (*p && *p != '|') p++;
        end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
        if (end == start) return FALSE;

        if (*start >= '0' && *start <= '9')
        {
            number = strtoul( start, &stop, 0 );
            if (stop != end) return FALSE;
        }
        else
        {
            for (i = 0; i < ARRAY_SIZE(long_names); i++)
            {
                if (strlen( long_names[i].name ) == (size_t)(end - start)
                        && !_strnicmp( long_names[i].name, start, end - start ))
                    break;
            }
            if (i == ARRAY_SIZE(long_names))
            {
                WARN( "unknown value %s.\n", debugstr_an(start, end - start) );
                return FALSE;
            }
            number = long_names[i].value;
        }
        result |= number;
        if (!*p) break;
        p++;
    }
    *ret = result;
    return TRUE;
}

/* comma-separated list stored as NUL-separated strings with an extra NUL at the end */
static BOOL parse_mv_string8( const char *value, BYTE **data, DWORD *size )
{
    size_t len = strlen( value );
    const char *p = value, *start, *end;
    char *out;

    if (!(out = malloc( len + 2 ))) return FALSE;
    *data = (BYTE *)out;
    for (;;)
    {
        while (*p == ' ' || *p == '\t') p++;
        start = p;
        while (*p && *p != ',') p++;
        end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
        if (end > start)
        {
            memcpy( out, start, end - start );
            out += end - start;
            *out++ = 0;
        }
        if (!*p) break;
        p++;
    }
    *out++ = 0;
    *size = out - (char *)*data;
    return TRUE;
}

BOOL mapisvc_parse_prop( const char *key, const char *value, struct mapisvc_prop *prop )
{
    unsigned int i;
    LONG number;
    int len;

    prop->data = NULL;
    prop->size = 0;

    if (!parse_hex8( key, &prop->tag ))
    {
        for (i = 0; i < ARRAY_SIZE(prop_names); i++)
            if (!_stricmp( prop_names[i].name, key )) break;
        if (i == ARRAY_SIZE(prop_names)) return FALSE;
        prop->tag = prop_names[i].value;
    }

    switch (PROP_TYPE(prop->tag))
    {
    case PT_STRING8:
        prop->size = strlen( value ) + 1;
        if (!(prop->data = malloc( prop->size ))) return FALSE;
        memcpy( prop->data, value, prop->size );
        return TRUE;
    case PT_UNICODE:
        len = MultiByteToWideChar( CP_ACP, 0, value, -1, NULL, 0 );
        prop->size = len * sizeof(WCHAR);
        if (!(prop->data = malloc( prop->size ))) return FALSE;
        MultiByteToWideChar( CP_ACP, 0, value, -1, (WCHAR *)prop->data, len );
        return TRUE;
    case PT_LONG:
    case PT_BOOLEAN:
        if (!parse_long( value, &number )) return FALSE;
        prop->size = sizeof(LONG);
        if (!(prop->data = malloc( prop->size ))) return FALSE;
        memcpy( prop->data, &number, sizeof(number) );
        return TRUE;
    case PT_BINARY:
        return parse_binary( value, &prop->data, &prop->size );
    case PT_MV_STRING8:
        return parse_mv_string8( value, &prop->data, &prop->size );
    default:
        FIXME( "property type %#lx of %s not supported.\n", PROP_TYPE(prop->tag), debugstr_a(key) );
        return FALSE;
    }
}
