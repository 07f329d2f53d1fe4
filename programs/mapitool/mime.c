/*
 * mapitool: .eml files through inetcomm's IMimeMessage
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
 * What Wine 8.0's inetcomm offers (measured): IMimeMessage::Load,
 * GetTextBody and GetAttachments work; header values come from the root
 * IMimeBody's GetProp as strings (IMimeMessage::GetProp is a stub, and
 * PID_HDR_DATE does not convert to VT_FILETIME); parameters such as the
 * attachment file name come from IMimeBody::GetParameters (PID_PAR_* and
 * PID_ATT_* lookups fail).  Composing is not implemented: InitNew,
 * SetTextBody, AttachFile and Save return E_NOTIMPL, and
 * MimeOleParseRfc822Address / MimeOleInetDateToFileTime are stubs.  So
 * import parses MIME with inetcomm only; the tool itself splits address
 * lists and converts the date (through wininet), and export writes the
 * MIME text itself when inetcomm cannot compose.
 */

#include <stdlib.h>
#include <string.h>

#include "mapitool.h"
#include "mimeole.h"
#include "wininet.h"

static HRESULT fail( HRESULT hr, char *error, size_t size, const char *what )
{
    snprintf( error, size, "%s failed: %s (%#lx)", what, mapi_error_name( hr ), hr );
    return hr;
}

static WCHAR *get_header( IMimeBody *body, const char *name )
{
    PROPVARIANT value;
    WCHAR *ret = NULL;

    PropVariantInit( &value );
    value.vt = VT_LPWSTR;
    if (IMimeBody_GetProp( body, name, 0, &value ) == S_OK && value.vt == VT_LPWSTR && value.pwszVal &&
        *value.pwszVal)
        ret = wcsdup( value.pwszVal );
    PropVariantClear( &value );
    return ret;
}

static char *get_param( IMimeBody *body, const char *header, const char *name )
{
    MIMEPARAMINFO *params = NULL;
    ULONG count = 0, i;
    char *ret = NULL;

    if (IMimeBody_GetParameters( body, header, &count, &params ) != S_OK) return NULL;
    for (i = 0; i < count; i++)
        if (!ret && params[i].pszName && !_stricmp( params[i].pszName, name ) && params[i].pszData)
            ret = _strdup( params[i].pszData );
    CoTaskMemFree( params );
    return ret;
}

static WCHAR *to_wide( const char *str, UINT cp )
{
    int len;
    WCHAR *ret;

    if (!str) return NULL;
    len = MultiByteToWideChar( cp, 0, str, -1, NULL, 0 );
    if (!len || !(ret = malloc( len * sizeof(WCHAR) ))) return NULL;
    MultiByteToWideChar( cp, 0, str, -1, ret, len );
    return ret;
}

static UINT charset_codepage( const char *charset )
{
    static const struct { const char *name; UINT cp; } table[] =
    {
        { "utf-8", CP_UTF8 }, { "us-ascii", 20127 }, { "iso-8859-1", 28591 }, { "iso-8859-2", 28592 },
        { "iso-8859-15", 28605 }, { "windows-1252", 1252 }, { "windows-1250", 1250 }, { "koi8-r", 20866 },
    };
    unsigned int i;

    if (!charset) return 20127;
    for (i = 0; i < ARRAY_SIZE(table); i++) if (!_stricmp( charset, table[i].name )) return table[i].cp;
    /* an unknown charset: Latin-1 maps every byte, so nothing is lost */
    return 28591;
}

static HRESULT read_stream( IStream *stream, BYTE **data, ULONG *size )
{
    ULONG cap = 4096, len = 0, read;
    BYTE *buf = malloc( cap ), *grown;
    HRESULT hr;

    if (!buf) return E_OUTOFMEMORY;
    for (;;)
    {
        if (len + 4096 + 2 > cap)
        {
            if (!(grown = realloc( buf, cap * 2 )))
            {
                free( buf );
                return E_OUTOFMEMORY;
            }
            buf = grown;
            cap *= 2;
        }
        hr = IStream_Read( stream, buf + len, 4096, &read );
        if (FAILED(hr))
        {
            free( buf );
            return hr;
        }
        if (!read) break;
        len += read;
    }
    buf[len] = buf[len + 1] = 0;
    *data = buf;
    *size = len;
    return S_OK;
}

/* "Name <addr>", "\"Name\" <addr>" or "addr" */
static void parse_address( const WCHAR *start, const WCHAR *end, WCHAR **name, WCHAR **email )
{
    const WCHAR *lt = NULL, *gt = NULL, *p;
    WCHAR buf[512];
    size_t n = 0;

    *name = *email = NULL;
    for (p = start; p < end; p++)
    {
        if (*p == '<') lt = p;
        else if (*p == '>' && lt) gt = p;
    }
    if (lt && gt)
    {
        for (p = lt + 1; p < gt && n < ARRAY_SIZE(buf) - 1; p++) if (*p != ' ') buf[n++] = *p;
        buf[n] = 0;
        *email = wcsdup( buf );
        end = lt;
    }
    while (start < end && (*start == ' ' || *start == '\t' || *start == '"')) start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '"')) end--;
    n = min( (size_t)(end - start), ARRAY_SIZE(buf) - 1 );
    memcpy( buf, start, n * sizeof(WCHAR) );
    buf[n] = 0;
    if (!*email) *email = wcsdup( buf );
    else if (n) *name = wcsdup( buf );
}

/* splits an address list at commas outside quotes and angle brackets */
static void add_addresses( struct mime_message *msg, const WCHAR *list, ULONG type )
{
    const WCHAR *p = list, *start = list;
    BOOL quoted = FALSE, angle = FALSE;
    struct mime_address *grown;

    if (!list) return;
    for (;; p++)
    {
        if (*p == '"') quoted = !quoted;
        else if (*p == '<' && !quoted) angle = TRUE;
        else if (*p == '>' && !quoted) angle = FALSE;
        else if ((*p == ',' && !quoted && !angle) || !*p)
        {
            const WCHAR *s = start;
            while (s < p && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) s++;
            if (s < p && (grown = realloc( msg->recipients, (msg->recipient_count + 1) * sizeof(*grown) )))
            {
                struct mime_address *addr = &grown[msg->recipient_count++];

                msg->recipients = grown;
                parse_address( s, p, &addr->name, &addr->email );
                addr->type = type;
            }
            if (!*p) break;
            start = p + 1;
        }
    }
}

/* RFC 5322 date; wininet reads the date and time, the zone offset is ours */
static BOOL parse_date( const WCHAR *text, FILETIME *ft )
{
    const WCHAR *zone;
    SYSTEMTIME st;
    ULARGE_INTEGER t;
    LONGLONG offset;
    int hours, minutes;

    if (!InternetTimeToSystemTimeW( text, &st, 0 ) || !SystemTimeToFileTime( &st, ft )) return FALSE;
    if (!(zone = wcspbrk( text + 5, L"+-" )) || !iswdigit( zone[1] ) || wcslen( zone ) < 5) return TRUE;
    /* wininet drops the offset: local time minus offset is UTC */
    hours = (zone[1] - '0') * 10 + (zone[2] - '0');
    minutes = (zone[3] - '0') * 10 + (zone[4] - '0');
    offset = ((LONGLONG)hours * 60 + minutes) * 60 * 10000000;
    t.u.LowPart = ft->dwLowDateTime;
    t.u.HighPart = ft->dwHighDateTime;
    if (zone[0] == '+') t.QuadPart -= offset;
    else t.QuadPart += offset;
    ft->dwLowDateTime = t.u.LowPart;
    ft->dwHighDateTime = t.u.HighPart;
    return TRUE;
}

static HRESULT load_message( const WCHAR *path, IMimeMessage **out, char *error, size_t size )
{
    IMimeMessage *msg;
    IStream *stream;
    HANDLE file;
    BYTE buffer[65536];
    DWORD read;
    HRESULT hr;

    file = CreateFileW( path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL );
    if (file == INVALID_HANDLE_VALUE)
        return fail( HRESULT_FROM_WIN32( GetLastError() ), error, size, "opening the file" );
    if (FAILED(hr = CreateStreamOnHGlobal( NULL, TRUE, &stream )))
    {
        CloseHandle( file );
        return fail( hr, error, size, "CreateStreamOnHGlobal" );
    }
    while (ReadFile( file, buffer, sizeof(buffer), &read, NULL ) && read)
        IStream_Write( stream, buffer, read, NULL );
    CloseHandle( file );
    IStream_Seek( stream, (LARGE_INTEGER){{0}}, STREAM_SEEK_SET, NULL );

    hr = CoCreateInstance( &CLSID_IMimeMessage, NULL, CLSCTX_INPROC_SERVER, &IID_IMimeMessage, (void **)&msg );
    if (FAILED(hr)) hr = MimeOleCreateMessage( NULL, &msg );
    if (FAILED(hr))
    {
        IStream_Release( stream );
        return fail( hr, error, size, "creating inetcomm's IMimeMessage" );
    }
    if (FAILED(hr = IMimeMessage_Load( msg, stream )))
    {
        IStream_Release( stream );
        IMimeMessage_Release( msg );
        return fail( hr, error, size, "IMimeMessage::Load" );
    }
    IStream_Release( stream );
    *out = msg;
    return S_OK;
}

static void add_attachment( struct mime_message *msg, IMimeMessage *mime, HBODY handle )
{
    struct mime_attachment *grown, *att;
    IMimeBody *body;
    IStream *stream;
    char *type = NULL, *name;
    PROPVARIANT value;

    if (FAILED(IMimeMessage_BindToObject( mime, handle, &IID_IMimeBody, (void **)&body ))) return;
    if (IMimeBody_IsContentType( body, "multipart", NULL ) == S_OK)
    {
        IMimeBody_Release( body );
        return;
    }
    PropVariantInit( &value );
    value.vt = VT_LPSTR;
    if (IMimeBody_GetProp( body, PIDTOSTR(PID_HDR_CNTTYPE), 0, &value ) == S_OK && value.vt == VT_LPSTR)
        type = _strdup( value.pszVal );
    PropVariantClear( &value );
    if (!(name = get_param( body, "Content-Disposition", "filename" )))
        name = get_param( body, "Content-Type", "name" );
    /* unnamed text parts are alternative bodies, not attachments */
    if (!name && type && !_strnicmp( type, "text/", 5 ))
    {
        free( type );
        IMimeBody_Release( body );
        return;
    }
    if (SUCCEEDED(IMimeBody_GetData( body, IET_BINARY, &stream )) &&
        (grown = realloc( msg->attachments, (msg->attachment_count + 1) * sizeof(*grown) )))
    {
        msg->attachments = grown;
        att = &grown[msg->attachment_count];
        memset( att, 0, sizeof(*att) );
        if (SUCCEEDED(read_stream( stream, &att->data, &att->size )))
        {
            att->filename = to_wide( name, CP_UTF8 );
            att->mime_type = to_wide( type, CP_UTF8 );
            msg->attachment_count++;
        }
        IStream_Release( stream );
    }
    free( name );
    free( type );
    IMimeBody_Release( body );
}

HRESULT mime_parse_file( const WCHAR *path, struct mime_message *msg, char *error, size_t size )
{
    IMimeMessage *mime;
    IMimeBody *root, *text_body;
    IStream *stream;
    HBODY text = NULL, *handles = NULL;
    WCHAR *value;
    ULONG count = 0, i;
    HRESULT hr;

    memset( msg, 0, sizeof(*msg) );
    CoInitializeEx( NULL, COINIT_APARTMENTTHREADED );
    if (FAILED(hr = load_message( path, &mime, error, size ))) goto done;
    if (FAILED(hr = IMimeMessage_BindToObject( mime, HBODY_ROOT, &IID_IMimeBody, (void **)&root )))
    {
        fail( hr, error, size, "BindToObject(HBODY_ROOT)" );
        IMimeMessage_Release( mime );
        goto done;
    }
    msg->subject = get_header( root, PIDTOSTR(PID_HDR_SUBJECT) );
    msg->message_id = get_header( root, PIDTOSTR(PID_HDR_MESSAGEID) );
    if ((value = get_header( root, PIDTOSTR(PID_HDR_FROM) )))
    {
        parse_address( value, value + wcslen( value ), &msg->from_name, &msg->from_email );
        free( value );
    }
    if ((value = get_header( root, PIDTOSTR(PID_HDR_DATE) )))
    {
        msg->has_date = parse_date( value, &msg->date );
        free( value );
    }
    value = get_header( root, PIDTOSTR(PID_HDR_TO) );
    add_addresses( msg, value, MAPI_TO );
    free( value );
    value = get_header( root, PIDTOSTR(PID_HDR_CC) );
    add_addresses( msg, value, MAPI_CC );
    free( value );
    value = get_header( root, PIDTOSTR(PID_HDR_BCC) );
    add_addresses( msg, value, MAPI_BCC );
    free( value );
    IMimeBody_Release( root );

    if (IMimeMessage_GetTextBody( mime, TXT_PLAIN, IET_BINARY, &stream, &text ) == S_OK)
    {
        BYTE *data;
        ULONG len;
        char *charset = NULL;

        if (SUCCEEDED(IMimeMessage_BindToObject( mime, text, &IID_IMimeBody, (void **)&text_body )))
        {
            charset = get_param( text_body, "Content-Type", "charset" );
            IMimeBody_Release( text_body );
        }
        if (SUCCEEDED(read_stream( stream, &data, &len )))
        {
            msg->body = to_wide( (char *)data, charset_codepage( charset ) );
            free( data );
        }
        free( charset );
        IStream_Release( stream );
    }
    if (IMimeMessage_GetAttachments( mime, &count, &handles ) == S_OK)
    {
        for (i = 0; i < count; i++) if (handles[i] != text) add_attachment( msg, mime, handles[i] );
        CoTaskMemFree( handles );
    }
    IMimeMessage_Release( mime );
    hr = S_OK;
done:
    CoUninitialize();
    return hr;
}

void mime_free( struct mime_message *msg )
{
    ULONG i;

    free( msg->subject );
    free( msg->from_name );
    free( msg->from_email );
    free( msg->message_id );
    free( msg->body );
    for (i = 0; i < msg->recipient_count; i++)
    {
        free( msg->recipients[i].name );
        free( msg->recipients[i].email );
    }
    free( msg->recipients );
    for (i = 0; i < msg->attachment_count; i++)
    {
        free( msg->attachments[i].filename );
        free( msg->attachments[i].mime_type );
        free( msg->attachments[i].data );
    }
    free( msg->attachments );
    memset( msg, 0, sizeof(*msg) );
}

/* --------------------------------------------------------------- export -- */

struct out
{
    char *data;
    size_t len, cap;
};

static void put( struct out *out, const char *str, size_t len )
{
    if (out->len + len + 1 > out->cap)
    {
        size_t cap = max( out->cap * 2, out->len + len + 4096 );
        char *grown = realloc( out->data, cap );
        if (!grown) return;
        out->data = grown;
        out->cap = cap;
    }
    memcpy( out->data + out->len, str, len );
    out->len += len;
    out->data[out->len] = 0;
}

static void puts_out( struct out *out, const char *str )
{
    put( out, str, strlen( str ) );
}

static void put_base64( struct out *out, const BYTE *data, ULONG size )
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char quad[4];
    ULONG i, col = 0;

    for (i = 0; i < size; i += 3)
    {
        ULONG v = data[i] << 16 | (i + 1 < size ? data[i + 1] << 8 : 0) | (i + 2 < size ? data[i + 2] : 0);
        quad[0] = digits[v >> 18];
        quad[1] = digits[(v >> 12) & 63];
        quad[2] = i + 1 < size ? digits[(v >> 6) & 63] : '=';
        quad[3] = i + 2 < size ? digits[v & 63] : '=';
        put( out, quad, 4 );
        if ((col += 4) >= 76)
        {
            puts_out( out, "\r\n" );
            col = 0;
        }
    }
    if (col) puts_out( out, "\r\n" );
}

static BOOL is_ascii( const WCHAR *str )
{
    for (; *str; str++) if (*str >= 0x80 || *str < 0x20) return FALSE;
    return TRUE;
}

/* a header word: as is when ASCII, else an RFC 2047 encoded word */
static void put_word( struct out *out, const WCHAR *str )
{
    const char *utf8 = u8( str );

    if (is_ascii( str ))
    {
        puts_out( out, utf8 );
        return;
    }
    puts_out( out, "=?UTF-8?B?" );
    {
        struct out tmp = { 0 };
        put_base64( &tmp, (const BYTE *)utf8, strlen( utf8 ) );
        if (tmp.data)
        {
            char *end = tmp.data + tmp.len;
            while (end > tmp.data && (end[-1] == '\r' || end[-1] == '\n')) *--end = 0;
            puts_out( out, tmp.data );
            free( tmp.data );
        }
    }
    puts_out( out, "?=" );
}

static void put_address( struct out *out, const WCHAR *name, const WCHAR *email )
{
    if (name && (!email || wcscmp( name, email )))
    {
        if (is_ascii( name ))
        {
            puts_out( out, "\"" );
            puts_out( out, u8( name ) );
            puts_out( out, "\"" );
        }
        else put_word( out, name );
        if (email)
        {
            puts_out( out, " <" );
            puts_out( out, u8( email ) );
            puts_out( out, ">" );
        }
    }
    else if (email) puts_out( out, u8( email ) );
}

static void put_recipients( struct out *out, const struct mime_message *msg, ULONG type, const char *header )
{
    BOOL first = TRUE;
    ULONG i;

    for (i = 0; i < msg->recipient_count; i++)
    {
        if (msg->recipients[i].type != type) continue;
        puts_out( out, first ? header : ",\r\n " );
        put_address( out, msg->recipients[i].name, msg->recipients[i].email );
        first = FALSE;
    }
    if (!first) puts_out( out, "\r\n" );
}

static void put_body( struct out *out, const WCHAR *body )
{
    const char *p;
    char *utf8;
    int len = WideCharToMultiByte( CP_UTF8, 0, body, -1, NULL, 0, NULL, NULL );
    size_t line = 0;
    BOOL long_lines = FALSE;

    if (!(utf8 = malloc( len ))) return;
    WideCharToMultiByte( CP_UTF8, 0, body, -1, utf8, len, NULL, NULL );
    for (p = utf8; *p; p++)
    {
        if (*p == '\n') line = 0;
        else if (++line > 900) long_lines = TRUE;
    }
    puts_out( out, "Content-Type: text/plain; charset=utf-8\r\n" );
    if (long_lines)
    {
        puts_out( out, "Content-Transfer-Encoding: base64\r\n\r\n" );
        put_base64( out, (BYTE *)utf8, strlen( utf8 ) );
    }
    else
    {
        puts_out( out, "Content-Transfer-Encoding: 8bit\r\n\r\n" );
        /* CRLF line ends, as RFC 5322 wants */
        for (p = utf8; *p; p++)
        {
            if (*p == '\n' && (p == utf8 || p[-1] != '\r')) puts_out( out, "\r\n" );
            else put( out, p, 1 );
        }
        if (p == utf8 || p[-1] != '\n') puts_out( out, "\r\n" );
    }
    free( utf8 );
}

static HRESULT compose( const struct mime_message *msg, struct out *out )
{
    static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                    "Nov", "Dec" };
    char line[256], boundary[64];
    ULONG i;

    if (msg->from_name || msg->from_email)
    {
        puts_out( out, "From: " );
        put_address( out, msg->from_name, msg->from_email );
        puts_out( out, "\r\n" );
    }
    put_recipients( out, msg, MAPI_TO, "To: " );
    put_recipients( out, msg, MAPI_CC, "Cc: " );
    puts_out( out, "Subject: " );
    if (msg->subject) put_word( out, msg->subject );
    puts_out( out, "\r\n" );
    if (msg->has_date)
    {
        SYSTEMTIME st;

        FileTimeToSystemTime( &msg->date, &st );
        snprintf( line, sizeof(line), "Date: %s, %02u %s %04u %02u:%02u:%02u +0000\r\n", days[st.wDayOfWeek % 7],
                  st.wDay, months[(st.wMonth + 11) % 12], st.wYear, st.wHour, st.wMinute, st.wSecond );
        puts_out( out, line );
    }
    if (msg->message_id)
    {
        puts_out( out, "Message-ID: " );
        puts_out( out, u8( msg->message_id ) );
        puts_out( out, "\r\n" );
    }
    puts_out( out, "MIME-Version: 1.0\r\n" );
    if (!msg->attachment_count)
    {
        put_body( out, msg->body ? msg->body : L"" );
        return S_OK;
    }
    snprintf( boundary, sizeof(boundary), "=_mapitool_%08lx", GetTickCount() );
    snprintf( line, sizeof(line), "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary );
    puts_out( out, line );
    snprintf( line, sizeof(line), "--%s\r\n", boundary );
    puts_out( out, line );
    put_body( out, msg->body ? msg->body : L"" );
    for (i = 0; i < msg->attachment_count; i++)
    {
        const struct mime_attachment *att = &msg->attachments[i];
        const WCHAR *name = att->filename ? att->filename : L"attachment.bin";

        snprintf( line, sizeof(line), "--%s\r\n", boundary );
        puts_out( out, line );
        puts_out( out, "Content-Type: " );
        puts_out( out, att->mime_type ? u8( att->mime_type ) : "application/octet-stream" );
        puts_out( out, "; name=\"" );
        put_word( out, name );
        puts_out( out, "\"\r\nContent-Disposition: attachment; filename=\"" );
        put_word( out, name );
        puts_out( out, "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" );
        put_base64( out, att->data, att->size );
    }
    snprintf( line, sizeof(line), "--%s--\r\n", boundary );
    puts_out( out, line );
    return S_OK;
}

/* inetcomm first: it is the component meant for this.  Wine 8.0's cannot
 * compose (InitNew is E_NOTIMPL), and then the tool writes the text. */
static HRESULT compose_inetcomm( const struct mime_message *msg, IStream *stream )
{
    IMimeMessage *mime;
    IMimeBody *root;
    PROPVARIANT value;
    IStream *text;
    HBODY handle;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = MimeOleCreateMessage( NULL, &mime ))) return hr;
    if (FAILED(hr = IMimeMessage_InitNew( mime ))) goto done;
    if (FAILED(hr = IMimeMessage_BindToObject( mime, HBODY_ROOT, &IID_IMimeBody, (void **)&root ))) goto done;
    PropVariantInit( &value );
    value.vt = VT_LPWSTR;
    value.pwszVal = msg->subject ? msg->subject : (WCHAR *)L"";
    hr = IMimeBody_SetProp( root, PIDTOSTR(PID_HDR_SUBJECT), 0, &value );
    if (SUCCEEDED(hr) && msg->from_email)
    {
        value.pwszVal = msg->from_email;
        hr = IMimeBody_SetProp( root, PIDTOSTR(PID_HDR_FROM), 0, &value );
    }
    IMimeBody_Release( root );
    if (FAILED(hr)) goto done;
    if (FAILED(hr = CreateStreamOnHGlobal( NULL, TRUE, &text ))) goto done;
    if (msg->body) IStream_Write( text, msg->body, wcslen( msg->body ) * sizeof(WCHAR), NULL );
    IStream_Seek( text, (LARGE_INTEGER){{0}}, STREAM_SEEK_SET, NULL );
    hr = IMimeMessage_SetTextBody( mime, TXT_PLAIN, IET_UNICODE, NULL, text, &handle );
    IStream_Release( text );
    for (i = 0; SUCCEEDED(hr) && i < msg->attachment_count; i++)
    {
        const struct mime_attachment *att = &msg->attachments[i];
        char name[MAX_PATH];

        if (FAILED(hr = CreateStreamOnHGlobal( NULL, TRUE, &text ))) break;
        IStream_Write( text, att->data, att->size, NULL );
        IStream_Seek( text, (LARGE_INTEGER){{0}}, STREAM_SEEK_SET, NULL );
        /* a name too long for the buffer fails the conversion and leaves it
         * unterminated: never hand that to inetcomm */
        if (!WideCharToMultiByte( CP_UTF8, 0, att->filename ? att->filename : L"attachment.bin", -1, name,
                                  sizeof(name), NULL, NULL ))
            strcpy( name, "attachment.bin" );
        hr = IMimeMessage_AttachFile( mime, name, text, &handle );
        IStream_Release( text );
    }
    if (SUCCEEDED(hr)) hr = IMimeMessage_Save( mime, stream, TRUE );
done:
    IMimeMessage_Release( mime );
    return hr;
}

HRESULT mime_write_file( const WCHAR *path, const struct mime_message *msg, BOOL *by_inetcomm, char *error,
                         size_t size )
{
    struct out out = { 0 };
    IStream *stream = NULL;
    HANDLE file;
    DWORD written;
    STATSTG stat;
    HRESULT hr;

    CoInitializeEx( NULL, COINIT_APARTMENTTHREADED );
    *by_inetcomm = FALSE;
    if (SUCCEEDED(CreateStreamOnHGlobal( NULL, TRUE, &stream )) && SUCCEEDED(compose_inetcomm( msg, stream )) &&
        SUCCEEDED(IStream_Stat( stream, &stat, STATFLAG_NONAME )) && stat.cbSize.QuadPart &&
        (out.data = malloc( stat.cbSize.QuadPart )))
    {
        IStream_Seek( stream, (LARGE_INTEGER){{0}}, STREAM_SEEK_SET, NULL );
        IStream_Read( stream, out.data, stat.cbSize.QuadPart, &written );
        out.len = written;
        *by_inetcomm = TRUE;
    }
    if (stream) IStream_Release( stream );
    if (!*by_inetcomm) compose( msg, &out );
    CoUninitialize();
    if (!out.data) return fail( E_OUTOFMEMORY, error, size, "composing the message" );

    file = CreateFileW( path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL );
    if (file == INVALID_HANDLE_VALUE)
    {
        free( out.data );
        return fail( HRESULT_FROM_WIN32( GetLastError() ), error, size, "creating the file" );
    }
    hr = WriteFile( file, out.data, out.len, &written, NULL ) && written == out.len ? S_OK
         : HRESULT_FROM_WIN32( GetLastError() );
    CloseHandle( file );
    free( out.data );
    if (FAILED(hr)) return fail( hr, error, size, "writing the file" );
    return S_OK;
}

/* ------------------------------------------------------------- command -- */

int cmd_mime( int argc, WCHAR **argv )
{
    struct mime_message msg;
    char error[256] = "", time[64];
    WCHAR *path;
    HRESULT hr;
    ULONG i;
    int arg, ret = EXIT_OK;

    if (argc < 2)
    {
        fprintf( stderr, "usage: mapitool mime FILE.eml...\n" );
        return EXIT_USAGE;
    }
    for (arg = 1; arg < argc; arg++)
    {
        path = dos_path( argv[arg] );
        hr = mime_parse_file( path, &msg, error, sizeof(error) );
        free( path );
        if (FAILED(hr))
        {
            fprintf( stderr, "mapitool: %s: %s (%#lx): %s\n", u8( argv[arg] ), mapi_error_name( hr ), hr, error );
            ret = EXIT_FAIL;
            continue;
        }
        printf( "%s:\n", u8( argv[arg] ) );
        printf( "  PR_SUBJECT_W: %s\n", msg.subject ? u8( msg.subject ) : "" );
        printf( "  PR_SENDER_NAME_W: %s\n", msg.from_name ? u8( msg.from_name ) : "" );
        printf( "  PR_SENDER_EMAIL_ADDRESS_W: %s\n", msg.from_email ? u8( msg.from_email ) : "" );
        if (msg.has_date)
        {
            format_filetime( &msg.date, time, sizeof(time) );
            printf( "  PR_CLIENT_SUBMIT_TIME: %s UTC\n", time );
        }
        if (msg.message_id) printf( "  PR_INTERNET_MESSAGE_ID_W: %s\n", u8( msg.message_id ) );
        for (i = 0; i < msg.recipient_count; i++)
            printf( "  recipient %lu: %s \"%s\" <%s>\n", i + 1,
                    msg.recipients[i].type == MAPI_TO ? "MAPI_TO" : msg.recipients[i].type == MAPI_CC ? "MAPI_CC"
                    : "MAPI_BCC", msg.recipients[i].name ? u8( msg.recipients[i].name ) : "",
                    msg.recipients[i].email ? u8( msg.recipients[i].email ) : "" );
        for (i = 0; i < msg.attachment_count; i++)
            printf( "  attachment %lu: \"%s\" %s, %lu bytes\n", i + 1,
                    msg.attachments[i].filename ? u8( msg.attachments[i].filename ) : "",
                    msg.attachments[i].mime_type ? u8( msg.attachments[i].mime_type ) : "", msg.attachments[i].size );
        printf( "  PR_BODY_W:\n" );
        if (msg.body) print_long( msg.body );
        printf( "\n" );
        mime_free( &msg );
    }
    return ret;
}
