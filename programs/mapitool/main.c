/*
 * mapitool: a console Extended MAPI client
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

#include "mapitool.h"

struct options opts;

static const char usage[] =
    "Usage: mapitool COMMAND [ARGS] [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  install [DIR]                      copy winemapix.dll and winepst.dll from DIR (default: the\n"
    "                                     build tree or the tool's directory) into system32, run their\n"
    "                                     DllRegisterServer and show what got registered\n"
    "  profiles list                      list profiles (* marks the default)\n"
    "  profiles show NAME                 the message services of a profile and their PST paths\n"
    "  profiles create NAME [--pst PATH] [--display NAME]\n"
    "                                     create a profile, with a Personal Folders (MSUPST MS) store\n"
    "  profiles delete NAME               delete a profile\n"
    "  profiles default NAME              make a profile the default\n"
    "  stores                             list the message stores of a profile\n"
    "  folders [tree]                     the folder tree with message, unread and subfolder counts\n"
    "  folders create PATH                create a folder (PATH: names separated by '/')\n"
    "  folders delete PATH                delete a folder and everything in it\n"
    "  messages list FOLDER               the messages of a folder: number, subject, sender, date, size\n"
    "  messages show FOLDER N             one message: properties, body, recipients, attachments\n"
    "  messages import FOLDER FILE.eml... store .eml files (MIME parsed by inetcomm) as messages\n"
    "  messages export FOLDER N FILE.eml  write a message back to an .eml file\n"
    "  messages delete FOLDER N           delete a message\n"
    "  messages move FOLDER N DEST        move a message to folder DEST\n"
    "  mime FILE.eml                      show what import would store, without a store\n"
    "  check FILE.pst                     run the PST strict checker and print every finding\n"
    "  logoff-trace                       hold a folder, message, table and stream, log off, and show\n"
    "                                     what each step returns and what the held objects answer\n"
    "\n"
    "Options:\n"
    "  --profile NAME     profile to log on to (default: the default profile)\n"
    "  --store N          store number from 'stores' (default: the default store)\n"
    "  --root             folder paths start at the store's root, not at the IPM subtree\n"
    "  --sort KEY         messages list order: subject, sender, date or size; '-KEY' descends\n"
    "  --filter-subject TEXT, --filter-sender TEXT\n"
    "                     only messages whose subject / sender name contains TEXT\n"
    "  --all              messages show: also the properties mapitool has no name for\n"
    "  --quiet            no progress output\n"
    "\n"
    "Messages are numbered as 'messages list' shows them (with the same --sort and filters).\n"
    "Errors print the MAPI error name, its code and the object's GetLastError text; the exit\n"
    "code is 0 on success, 1 when an operation failed, 2 for a bad command line.\n";

/* UTF-8 for printing; a few rotating buffers so that one printf can use several */
const char *u8( const WCHAR *str )
{
    static char buffers[4][4096];
    static unsigned int next;
    char *buf = buffers[next++ % ARRAY_SIZE(buffers)];

    if (!str) return "(null)";
    if (!WideCharToMultiByte( CP_UTF8, 0, str, -1, buf, sizeof(buffers[0]), NULL, NULL ))
        buf[sizeof(buffers[0]) - 1] = 0;
    return buf;
}

/* any length, for bodies */
void print_long( const WCHAR *str )
{
    int len = WideCharToMultiByte( CP_UTF8, 0, str, -1, NULL, 0, NULL, NULL );
    char *buf;

    if (len <= 0 || !(buf = malloc( len ))) return;
    WideCharToMultiByte( CP_UTF8, 0, str, -1, buf, len, NULL, NULL );
    fputs( buf, stdout );
    free( buf );
}

#define ERR(x) { x, #x }
static const struct
{
    HRESULT hr;
    const char *name;
}
error_names[] =
{
    ERR(S_OK),
    ERR(MAPI_E_CALL_FAILED),
    ERR(MAPI_E_NOT_ENOUGH_MEMORY),
    ERR(MAPI_E_INVALID_PARAMETER),
    ERR(MAPI_E_INTERFACE_NOT_SUPPORTED),
    ERR(MAPI_E_NO_ACCESS),
    ERR(E_NOTIMPL),
    ERR(MAPI_E_NO_SUPPORT),
    ERR(MAPI_E_BAD_CHARWIDTH),
    ERR(MAPI_E_STRING_TOO_LONG),
    ERR(MAPI_E_UNKNOWN_FLAGS),
    ERR(MAPI_E_INVALID_ENTRYID),
    ERR(MAPI_E_INVALID_OBJECT),
    ERR(MAPI_E_OBJECT_CHANGED),
    ERR(MAPI_E_OBJECT_DELETED),
    ERR(MAPI_E_BUSY),
    ERR(MAPI_E_NOT_ENOUGH_DISK),
    ERR(MAPI_E_NOT_ENOUGH_RESOURCES),
    ERR(MAPI_E_NOT_FOUND),
    ERR(MAPI_E_VERSION),
    ERR(MAPI_E_LOGON_FAILED),
    ERR(MAPI_E_SESSION_LIMIT),
    ERR(MAPI_E_USER_CANCEL),
    ERR(MAPI_E_UNABLE_TO_ABORT),
    ERR(MAPI_E_NETWORK_ERROR),
    ERR(MAPI_E_DISK_ERROR),
    ERR(MAPI_E_TOO_COMPLEX),
    ERR(MAPI_E_BAD_COLUMN),
    ERR(MAPI_E_EXTENDED_ERROR),
    ERR(MAPI_E_COMPUTED),
    ERR(MAPI_E_CORRUPT_DATA),
    ERR(MAPI_E_UNCONFIGURED),
    ERR(MAPI_E_FAILONEPROVIDER),
    ERR(MAPI_E_END_OF_SESSION),
    ERR(MAPI_E_UNKNOWN_ENTRYID),
    ERR(MAPI_E_MISSING_REQUIRED_COLUMN),
    ERR(MAPI_W_NO_SERVICE),
    ERR(MAPI_E_BAD_VALUE),
    ERR(MAPI_E_INVALID_TYPE),
    ERR(MAPI_E_TYPE_NO_SUPPORT),
    ERR(MAPI_E_UNEXPECTED_TYPE),
    ERR(MAPI_E_TOO_BIG),
    ERR(MAPI_E_DECLINE_COPY),
    ERR(MAPI_E_UNEXPECTED_ID),
    ERR(MAPI_W_ERRORS_RETURNED),
    ERR(MAPI_E_UNABLE_TO_COMPLETE),
    ERR(MAPI_E_TIMEOUT),
    ERR(MAPI_E_TABLE_EMPTY),
    ERR(MAPI_E_TABLE_TOO_BIG),
    ERR(MAPI_E_INVALID_BOOKMARK),
    ERR(MAPI_W_POSITION_CHANGED),
    ERR(MAPI_W_APPROX_COUNT),
    ERR(MAPI_E_WAIT),
    ERR(MAPI_E_CANCEL),
    ERR(MAPI_E_NOT_ME),
    ERR(MAPI_E_CORRUPT_STORE),
    ERR(MAPI_E_NOT_IN_QUEUE),
    ERR(MAPI_E_NO_SUPPRESS),
    ERR(MAPI_E_COLLISION),
    ERR(MAPI_E_NOT_INITIALIZED),
    ERR(MAPI_E_NON_STANDARD),
    ERR(MAPI_E_NO_RECIPIENTS),
    ERR(MAPI_E_SUBMITTED),
    ERR(MAPI_E_HAS_FOLDERS),
    ERR(MAPI_E_HAS_MESSAGES),
    ERR(MAPI_E_FOLDER_CYCLE),
    ERR(MAPI_E_AMBIGUOUS_RECIP),
    ERR(STG_E_INVALIDFUNCTION),
    ERR(STG_E_ACCESSDENIED),
    ERR(STG_E_REVERTED),
};
#undef ERR

const char *mapi_error_name( HRESULT hr )
{
    static char buffer[32];
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(error_names); i++)
        if (error_names[i].hr == hr) return error_names[i].name;
    if (HRESULT_FACILITY( hr ) == FACILITY_WIN32)
    {
        sprintf( buffer, "HRESULT_FROM_WIN32(%lu)", (ULONG)HRESULT_CODE( hr ) );
        return buffer;
    }
    return "unknown error";
}

/* Every MAPI interface that has GetLastError has it right after IUnknown
 * (IMAPIProp and its children, IMAPITable, IMAPISession, IProfAdmin,
 * IMsgServiceAdmin), so one caller serves them all. */
struct last_error_obj
{
    const struct
    {
        void *query_interface, *add_ref, *release;
        HRESULT (WINAPI *GetLastError)( void *iface, HRESULT hr, ULONG flags, MAPIERROR **error );
    } *lpVtbl;
};

int report_error( HRESULT hr, IUnknown *obj, const char *fmt, ... )
{
    struct last_error_obj *le = (struct last_error_obj *)obj;
    MAPIERROR *error = NULL;
    WCHAR text[512];
    va_list args;

    fflush( stdout );
    fprintf( stderr, "mapitool: " );
    va_start( args, fmt );
    vfprintf( stderr, fmt, args );
    va_end( args );
    fprintf( stderr, ": %s (%#lx)", mapi_error_name( hr ), hr );
    if (le && SUCCEEDED(le->lpVtbl->GetLastError( le, hr, MAPI_UNICODE, &error )) && error)
    {
        if (error->lpszError && *(WCHAR *)error->lpszError)
            fprintf( stderr, ": %s", u8( (WCHAR *)error->lpszError ) );
        if (error->lpszComponent && *(WCHAR *)error->lpszComponent)
            fprintf( stderr, " [%s]", u8( (WCHAR *)error->lpszComponent ) );
        MAPIFreeBuffer( error );
    }
    else if (HRESULT_FACILITY( hr ) == FACILITY_WIN32 &&
             FormatMessageW( FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             HRESULT_CODE( hr ), 0, text, ARRAY_SIZE(text), NULL ))
    {
        WCHAR *end = text + wcslen( text );
        while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ')) *--end = 0;
        fprintf( stderr, ": %s", u8( text ) );
    }
    fprintf( stderr, "\n" );
    return EXIT_FAIL;
}

/* Progress goes to stderr, one line per 10%, so that logs stay readable
 * and stdout carries only results. */
static int last_percent = -1;

void progress( const char *what, ULONGLONG done, ULONGLONG total )
{
    int percent;

    if (opts.quiet || !total) return;
    percent = (int)(done * 100 / total);
    if (percent > 100) percent = 100;
    if (last_percent >= 0 && percent / 10 == last_percent / 10) return;
    last_percent = percent;
    fprintf( stderr, "%s: %d%%\n", what, percent );
}

void progress_done( void )
{
    last_percent = -1;
}

/* Unix paths are common on the command line under Wine; MAPI wants DOS ones. */
WCHAR *dos_path( const WCHAR *path )
{
    static WCHAR * (CDECL *p_wine_get_dos_file_name)( const char * );
    WCHAR *ret, *dos;
    DWORD len;

    if (path[0] == '/')
    {
        char unix_path[MAX_PATH * 3];

        if (!p_wine_get_dos_file_name)
            p_wine_get_dos_file_name = (void *)GetProcAddress( GetModuleHandleW( L"kernel32.dll" ),
                                                               "wine_get_dos_file_name" );
        if (p_wine_get_dos_file_name &&
            WideCharToMultiByte( CP_UTF8, 0, path, -1, unix_path, sizeof(unix_path), NULL, NULL ) &&
            (dos = p_wine_get_dos_file_name( unix_path )))
        {
            ret = wcsdup( dos );
            HeapFree( GetProcessHeap(), 0, dos );
            return ret;
        }
    }
    len = GetFullPathNameW( path, 0, NULL, NULL );
    if (!len || !(ret = malloc( len * sizeof(WCHAR) ))) return wcsdup( path );
    GetFullPathNameW( path, len, ret, NULL );
    return ret;
}

/* FreeProws is exported by mapi32 only under its decorated name, which
 * the 64-bit import library lacks; this is the same thing. */
void free_rows( SRowSet *rows )
{
    ULONG i;

    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer( rows->aRow[i].lpProps );
    MAPIFreeBuffer( rows );
}

const SPropValue *find_prop( const SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++)
    {
        if (props[i].ulPropTag == tag) return &props[i];
        /* the same property in the other string width */
        if (PROP_ID(props[i].ulPropTag) == PROP_ID(tag) &&
            (PROP_TYPE(tag) == PT_UNICODE || PROP_TYPE(tag) == PT_STRING8) &&
            (PROP_TYPE(props[i].ulPropTag) == PT_UNICODE || PROP_TYPE(props[i].ulPropTag) == PT_STRING8))
            return &props[i];
    }
    return NULL;
}

/* a string property as WCHARs, whatever its width; NULL if absent or an error */
const WCHAR *prop_string( const SPropValue *prop, WCHAR *buffer, size_t size )
{
    if (!prop) return NULL;
    if (PROP_TYPE(prop->ulPropTag) == PT_UNICODE) return prop->Value.lpszW;
    if (PROP_TYPE(prop->ulPropTag) == PT_STRING8)
    {
        if (!MultiByteToWideChar( CP_ACP, 0, prop->Value.lpszA, -1, buffer, size )) buffer[size - 1] = 0;
        return buffer;
    }
    return NULL;
}

void format_filetime( const FILETIME *ft, char *buffer, size_t size )
{
    SYSTEMTIME st;

    if (!FileTimeToSystemTime( ft, &st )) snprintf( buffer, size, "(bad time)" );
    else snprintf( buffer, size, "%04u-%02u-%02u %02u:%02u:%02u", st.wYear, st.wMonth, st.wDay,
                   st.wHour, st.wMinute, st.wSecond );
}

#define TAG(x) { x, #x }
static const struct
{
    ULONG tag;
    const char *name;
}
tag_names[] =
{
    TAG(PR_MESSAGE_CLASS_W), TAG(PR_SUBJECT_W), TAG(PR_SUBJECT_PREFIX_W), TAG(PR_NORMALIZED_SUBJECT_W),
    TAG(PR_CONVERSATION_TOPIC_W), TAG(PR_BODY_W), TAG(PR_RTF_COMPRESSED),
    TAG(PR_SENDER_NAME_W), TAG(PR_SENDER_EMAIL_ADDRESS_W), TAG(PR_SENDER_ADDRTYPE_W), TAG(PR_SENDER_ENTRYID),
    TAG(PR_SENT_REPRESENTING_NAME_W), TAG(PR_SENT_REPRESENTING_EMAIL_ADDRESS_W),
    TAG(PR_SENT_REPRESENTING_ADDRTYPE_W), TAG(PR_DISPLAY_TO_W), TAG(PR_DISPLAY_CC_W), TAG(PR_DISPLAY_BCC_W),
    TAG(PR_CLIENT_SUBMIT_TIME), TAG(PR_MESSAGE_DELIVERY_TIME), TAG(PR_CREATION_TIME),
    TAG(PR_LAST_MODIFICATION_TIME), TAG(PR_MESSAGE_FLAGS), TAG(PR_MESSAGE_SIZE), TAG(PR_IMPORTANCE),
    TAG(PR_PRIORITY), TAG(PR_SENSITIVITY), TAG(PR_HASATTACH), TAG(PR_ENTRYID), TAG(PR_RECORD_KEY),
    TAG(PR_SEARCH_KEY), TAG(PR_INSTANCE_KEY), TAG(PR_PARENT_ENTRYID), TAG(PR_STORE_ENTRYID),
    TAG(PR_STORE_RECORD_KEY), TAG(PR_STORE_SUPPORT_MASK), TAG(PR_OBJECT_TYPE), TAG(PR_DISPLAY_NAME_W),
    TAG(PR_CONTENT_COUNT), TAG(PR_CONTENT_UNREAD), TAG(PR_SUBFOLDERS), TAG(PR_FOLDER_TYPE),
    TAG(PR_TRANSPORT_MESSAGE_HEADERS_W), TAG(PR_INTERNET_MESSAGE_ID_W),
    TAG(PR_ACCESS), TAG(PR_ACCESS_LEVEL),
    TAG(PR_RECIPIENT_TYPE), TAG(PR_EMAIL_ADDRESS_W), TAG(PR_ADDRTYPE_W), TAG(PR_ROWID),
    TAG(PR_ATTACH_NUM), TAG(PR_ATTACH_METHOD), TAG(PR_ATTACH_FILENAME_W), TAG(PR_ATTACH_LONG_FILENAME_W),
    TAG(PR_ATTACH_SIZE), TAG(PR_ATTACH_MIME_TAG_W), TAG(PR_ATTACH_EXTENSION_W), TAG(PR_RENDERING_POSITION),
    TAG(PR_ATTACH_DATA_BIN), TAG(PR_RTF_IN_SYNC), TAG(PR_MESSAGE_RECIPIENTS), TAG(PR_MESSAGE_ATTACHMENTS),
};
#undef TAG

const char *prop_tag_name( ULONG tag )
{
    static char buffer[32];
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(tag_names); i++)
    {
        if (tag_names[i].tag == tag) return tag_names[i].name;
        if (PROP_ID(tag_names[i].tag) == PROP_ID(tag) && PROP_TYPE(tag_names[i].tag) == PT_UNICODE &&
            PROP_TYPE(tag) == PT_STRING8)
        {
            size_t len = strlen( tag_names[i].name );
            snprintf( buffer, sizeof(buffer), "%.*sA", (int)len - 1, tag_names[i].name );
            return buffer;
        }
    }
    snprintf( buffer, sizeof(buffer), "0x%08lx", tag );
    return buffer;
}

void print_prop_value( const SPropValue *prop )
{
    char time[64];
    ULONG i;

    switch (PROP_TYPE(prop->ulPropTag))
    {
    case PT_SHORT:   printf( "%d", prop->Value.i ); break;
    case PT_LONG:    printf( "%ld (%#lx)", prop->Value.l, prop->Value.l ); break;
    case PT_BOOLEAN: printf( "%s", prop->Value.b ? "true" : "false" ); break;
    case PT_DOUBLE:  printf( "%g", prop->Value.dbl ); break;
    case PT_I8:      printf( "%I64d", prop->Value.li.QuadPart ); break;
    case PT_UNICODE: printf( "\"%s\"", u8( prop->Value.lpszW ) ); break;
    case PT_STRING8: printf( "\"%s\"", prop->Value.lpszA ); break;
    case PT_SYSTIME:
        format_filetime( &prop->Value.ft, time, sizeof(time) );
        printf( "%s UTC", time );
        break;
    case PT_CLSID:
        printf( "{%08lx-...}", prop->Value.lpguid ? prop->Value.lpguid->Data1 : 0 );
        break;
    case PT_BINARY:
        printf( "%lu bytes:", prop->Value.bin.cb );
        for (i = 0; i < prop->Value.bin.cb && i < 24; i++) printf( " %02x", prop->Value.bin.lpb[i] );
        if (prop->Value.bin.cb > 24) printf( " ..." );
        break;
    case PT_ERROR:
        printf( "error %s (%#lx)", mapi_error_name( prop->Value.err ), prop->Value.err );
        break;
    default:
        if (PROP_TYPE(prop->ulPropTag) & MV_FLAG) printf( "%lu values", prop->Value.MVl.cValues );
        else printf( "(type %#lx)", PROP_TYPE(prop->ulPropTag) );
        break;
    }
}

/* ---------------------------------------------------------------- install -- */

static BOOL copy_module( const WCHAR *dir, const WCHAR *name, const WCHAR *system )
{
    WCHAR source[MAX_PATH], dest[MAX_PATH];

    swprintf( source, ARRAY_SIZE(source), L"%s\\%s", dir, name );
    swprintf( dest, ARRAY_SIZE(dest), L"%s\\%s", system, name );
    if (GetFileAttributesW( source ) == INVALID_FILE_ATTRIBUTES) return FALSE;
    if (!CopyFileW( source, dest, FALSE ))
    {
        report_error( HRESULT_FROM_WIN32( GetLastError() ), NULL, "copying %s to %s", u8( source ), u8( dest ) );
        return FALSE;
    }
    printf( "installed %s\n", u8( dest ) );
    return TRUE;
}

/* The build tree keeps each DLL in dlls/NAME/; an unpacked release keeps
 * them next to mapitool.exe.  DIR on the command line wins. */
static void install_copy( const WCHAR *from, const WCHAR *system )
{
    static const WCHAR *modules[] = { L"winemapix", L"winepst" };
    WCHAR exe[MAX_PATH], dir[MAX_PATH], file[64], *p;
    unsigned int i;

    GetModuleFileNameW( NULL, exe, ARRAY_SIZE(exe) );
    if ((p = wcsrchr( exe, '\\' ))) *p = 0;
    for (i = 0; i < ARRAY_SIZE(modules); i++)
    {
        swprintf( file, ARRAY_SIZE(file), L"%s.dll", modules[i] );
        if (from)
        {
            WCHAR *d = dos_path( from );
            copy_module( d, file, system );
            free( d );
            continue;
        }
        swprintf( dir, ARRAY_SIZE(dir), L"%s\\..\\..\\dlls\\%s", exe, modules[i] );
        if (copy_module( dir, file, system )) continue;
        if (copy_module( exe, file, system )) continue;
        printf( "%s: not found next to mapitool, using the one already in %s\n", u8( file ), u8( system ) );
    }
}

static HRESULT register_module( const WCHAR *system, const WCHAR *name )
{
    HRESULT (WINAPI *reg)(void);
    WCHAR path[MAX_PATH];
    HMODULE module;
    HRESULT hr;

    swprintf( path, ARRAY_SIZE(path), L"%s\\%s", system, name );
    if (!(module = LoadLibraryW( path )))
    {
        hr = HRESULT_FROM_WIN32( GetLastError() );
        report_error( hr, NULL, "loading %s", u8( path ) );
        return hr;
    }
    if (!(reg = (void *)GetProcAddress( module, "DllRegisterServer" )))
    {
        fprintf( stderr, "mapitool: %s has no DllRegisterServer export: MAPI_E_NO_SUPPORT (%#lx)\n",
                 u8( name ), MAPI_E_NO_SUPPORT );
        FreeLibrary( module );
        return MAPI_E_NO_SUPPORT;
    }
    hr = reg();
    if (FAILED(hr)) report_error( hr, NULL, "%s DllRegisterServer", u8( name ) );
    else printf( "registered %s (DllRegisterServer returned %#lx)\n", u8( name ), hr );
    FreeLibrary( module );
    return hr;
}

static void show_registration( const WCHAR *system )
{
    WCHAR client[256], value[MAX_PATH], inf[MAX_PATH];
    DWORD size = sizeof(client);
    char line[1024];
    BOOL in_section = FALSE;
    HKEY key;
    FILE *f;

    if (!RegOpenKeyExW( HKEY_LOCAL_MACHINE, L"Software\\Clients\\Mail", 0, KEY_READ, &key ))
    {
        if (!RegGetValueW( key, NULL, NULL, RRF_RT_REG_SZ, NULL, client, &size ))
        {
            size = sizeof(value);
            if (!RegGetValueW( key, client, L"DLLPathEx", RRF_RT_REG_SZ, NULL, value, &size ))
                printf( "default mail client \"%s\": DLLPathEx = %s\n", u8( client ), u8( value ) );
            else
                printf( "default mail client \"%s\": no DLLPathEx\n", u8( client ) );
        }
        else printf( "no default mail client\n" );
        RegCloseKey( key );
    }
    else printf( "no HKLM\\Software\\Clients\\Mail key\n" );

    /* the service entries of mapisvc.inf: [Services] and the PST sections */
    swprintf( inf, ARRAY_SIZE(inf), L"%s\\mapisvc.inf", system );
    if (!(f = _wfopen( inf, L"r" )))
    {
        printf( "%s: missing\n", u8( inf ) );
        return;
    }
    printf( "%s:\n", u8( inf ) );
    while (fgets( line, sizeof(line), f ))
    {
        char *end = line + strlen( line );

        while (end > line && (end[-1] == '\n' || end[-1] == '\r')) *--end = 0;
        if (line[0] == '[')
        {
            in_section = !strcmp( line, "[Services]" ) || strstr( line, "PST" ) || strstr( line, "pst" );
            if (in_section) printf( "  %s\n", line );
        }
        else if (in_section && line[0] && line[0] != ';') printf( "    %s\n", line );
    }
    fclose( f );
}

static int cmd_install( int argc, WCHAR **argv )
{
    WCHAR system[MAX_PATH];
    HRESULT hr1, hr2;

    GetSystemDirectoryW( system, ARRAY_SIZE(system) );
    install_copy( argc > 1 ? argv[1] : NULL, system );
    hr1 = register_module( system, L"winemapix.dll" );
    hr2 = register_module( system, L"winepst.dll" );
    show_registration( system );
    return FAILED(hr1) || FAILED(hr2) ? EXIT_FAIL : EXIT_OK;
}

/* ------------------------------------------------------------------ check -- */

typedef void (CALLBACK *check_finding_cb)( void *ctx, const char *code, ULONGLONG offset, ULONG nid,
                                           ULONGLONG bid, const char *message );
typedef void (CALLBACK *check_progress_cb)( void *ctx, ULONGLONG done, ULONGLONG total );

struct check_ctx
{
    ULONG findings;
};

static void CALLBACK check_finding( void *ctx, const char *code, ULONGLONG offset, ULONG nid,
                                    ULONGLONG bid, const char *message )
{
    struct check_ctx *check = ctx;

    check->findings++;
    printf( "finding %lu: %s", check->findings, code );
    if (offset != ~(ULONGLONG)0) printf( " offset %#I64x", offset );
    if (nid) printf( " nid %#lx", nid );
    if (bid) printf( " bid %#I64x", bid );
    printf( ": %s\n", message );
}

static void CALLBACK check_progress( void *ctx, ULONGLONG done, ULONGLONG total )
{
    progress( "check", done, total );
}

static int cmd_check( int argc, WCHAR **argv )
{
    HRESULT (WINAPI *check_file)( const WCHAR *, check_finding_cb, check_progress_cb, void *, ULONG *,
                                  char *, DWORD );
    struct check_ctx ctx = { 0 };
    char error[512] = "";
    HMODULE module;
    ULONG count = 0;
    WCHAR *path;
    HRESULT hr;

    if (argc != 2)
    {
        fprintf( stderr, "usage: mapitool check FILE.pst\n" );
        return EXIT_USAGE;
    }
    if (!(module = LoadLibraryW( L"winepst.dll" )))
        return report_error( HRESULT_FROM_WIN32( GetLastError() ), NULL, "loading winepst.dll" );
    if (!(check_file = (void *)GetProcAddress( module, "WinePstCheckFile" )))
    {
        FreeLibrary( module );
        return report_error( MAPI_E_NO_SUPPORT, NULL, "winepst.dll has no WinePstCheckFile export" );
    }
    path = dos_path( argv[1] );
    printf( "checking %s\n", u8( path ) );
    hr = check_file( path, check_finding, check_progress, &ctx, &count, error, sizeof(error) );
    progress_done();
    if (FAILED(hr))
    {
        fprintf( stderr, "mapitool: checking %s: %s (%#lx): %s\n", u8( path ), mapi_error_name( hr ), hr,
                 error[0] ? error : "the checker could not run" );
        free( path );
        FreeLibrary( module );
        return EXIT_FAIL;
    }
    printf( "%lu finding%s\n", count, count == 1 ? "" : "s" );
    free( path );
    FreeLibrary( module );
    return count ? EXIT_FAIL : EXIT_OK;
}

/* ------------------------------------------------------------------- main -- */

static BOOL take_value( int *i, int argc, WCHAR **argv, const WCHAR **value )
{
    if (*i + 1 >= argc)
    {
        fprintf( stderr, "mapitool: %s needs a value\n", u8( argv[*i] ) );
        return FALSE;
    }
    *value = argv[++*i];
    return TRUE;
}

int __cdecl wmain( int argc, WCHAR **argv )
{
    WCHAR **args;
    const WCHAR *store = NULL;
    int i, count = 0, ret;

    setvbuf( stdout, NULL, _IOFBF, 65536 );
    if (!(args = calloc( argc + 1, sizeof(*args) ))) return EXIT_FAIL;
    for (i = 1; i < argc; i++)
    {
        BOOL ok = TRUE;

        if (!wcscmp( argv[i], L"--profile" )) ok = take_value( &i, argc, argv, &opts.profile );
        else if (!wcscmp( argv[i], L"--store" )) ok = take_value( &i, argc, argv, &store );
        else if (!wcscmp( argv[i], L"--pst" )) ok = take_value( &i, argc, argv, &opts.pst );
        else if (!wcscmp( argv[i], L"--display" )) ok = take_value( &i, argc, argv, &opts.display );
        else if (!wcscmp( argv[i], L"--sort" )) ok = take_value( &i, argc, argv, &opts.sort );
        else if (!wcscmp( argv[i], L"--filter-subject" )) ok = take_value( &i, argc, argv, &opts.filter_subject );
        else if (!wcscmp( argv[i], L"--filter-sender" )) ok = take_value( &i, argc, argv, &opts.filter_sender );
        else if (!wcscmp( argv[i], L"--root" )) opts.root = TRUE;
        else if (!wcscmp( argv[i], L"--quiet" )) opts.quiet = TRUE;
        else if (!wcscmp( argv[i], L"--all" )) opts.all = TRUE;
        else if (!wcscmp( argv[i], L"--help" ) || !wcscmp( argv[i], L"-h" ) || !wcscmp( argv[i], L"/?" ))
        {
            fputs( usage, stdout );
            return EXIT_OK;
        }
        else if (argv[i][0] == '-' && argv[i][1] == '-')
        {
            fprintf( stderr, "mapitool: unknown option %s\n", u8( argv[i] ) );
            ok = FALSE;
        }
        else args[count++] = argv[i];
        if (!ok) return EXIT_USAGE;
    }
    if (store) opts.store = _wtoi( store );

    if (!count)
    {
        fputs( usage, stderr );
        return EXIT_USAGE;
    }
    if (!wcscmp( args[0], L"install" )) ret = cmd_install( count, args );
    else if (!wcscmp( args[0], L"profiles" )) ret = cmd_profiles( count, args );
    else if (!wcscmp( args[0], L"stores" )) ret = cmd_stores( count, args );
    else if (!wcscmp( args[0], L"folders" )) ret = cmd_folders( count, args );
    else if (!wcscmp( args[0], L"messages" )) ret = cmd_messages( count, args );
    else if (!wcscmp( args[0], L"mime" )) ret = cmd_mime( count, args );
    else if (!wcscmp( args[0], L"check" )) ret = cmd_check( count, args );
    else if (!wcscmp( args[0], L"logoff-trace" )) ret = cmd_logoff_trace( count, args );
    else
    {
        fprintf( stderr, "mapitool: unknown command %s; see mapitool --help\n", u8( args[0] ) );
        ret = EXIT_USAGE;
    }
    fflush( stdout );
    free( args );
    return ret;
}
