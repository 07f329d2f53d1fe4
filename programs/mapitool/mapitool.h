/*
 * mapitool: declarations shared by the console MAPI client
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
 * The tool is an ordinary MAPI client: it reaches the subsystem only through
 * Wine's mapi32.dll (which forwards to the DLL registered as DLLPathEx) and
 * uses nothing but the public Extended MAPI interfaces.  The one exception
 * is "check", which calls winepst's private WinePstCheckFile export, since
 * MAPI has no interface for a file-format check.
 */

#ifndef __MAPITOOL_H
#define __MAPITOOL_H

#include <stdarg.h>
#include <stdio.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "mapiadmin.h"

/* constants Wine's headers lack; values from the MAPI SDK documentation */
#ifndef MDB_WRITE
#define MDB_WRITE              0x00000004
#endif
#ifndef FOLDER_GENERIC
#define FOLDER_GENERIC         1
#endif
#ifndef DEL_FOLDERS
#define DEL_FOLDERS            0x00000004
#define DEL_MESSAGES           0x00000008
#endif
#ifndef MODRECIP_ADD
#define MODRECIP_ADD           0x00000002
#endif
#ifndef MESSAGE_MOVE
#define MESSAGE_MOVE           0x00000001
#endif
#ifndef LOGOFF_NO_WAIT
#define LOGOFF_NO_WAIT         0x00000001
#define LOGOFF_COMPLETE        0x00010000
#define LOGOFF_INBOUND         0x00020000
#define LOGOFF_OUTBOUND        0x00040000
#define LOGOFF_OUTBOUND_QUEUE  0x00080000
#endif
#ifndef PR_SMTP_ADDRESS_W
#define PR_SMTP_ADDRESS_W      PROP_TAG(PT_UNICODE, 0x39fe)
#endif
#ifndef PR_INTERNET_MESSAGE_ID_W
#define PR_INTERNET_MESSAGE_ID_W PROP_TAG(PT_UNICODE, 0x1035)
#endif
#ifndef CbNewADRLIST
#define CbNewADRLIST(n)        (offsetof(ADRLIST, aEntries) + (n) * sizeof(ADRENTRY))
#endif

/* exit codes */
#define EXIT_OK     0
#define EXIT_FAIL   1   /* a MAPI or file operation failed */
#define EXIT_USAGE  2   /* bad command line */

/* the PST service's profile section properties, as Outlook defines them */
#define PR_PST_PATH_W  PROP_TAG(PT_UNICODE, 0x6700)
#define PR_PST_PATH_A  PROP_TAG(PT_STRING8, 0x6700)

/* options shared by every command */
struct options
{
    const WCHAR *profile;      /* --profile, NULL = the default profile */
    int store;                 /* --store N (1-based), 0 = default store */
    BOOL root;                 /* --root: folder paths start at the root, not the IPM subtree */
    const WCHAR *pst;          /* --pst PATH */
    const WCHAR *display;      /* --display NAME */
    const WCHAR *sort;         /* --sort [-]subject|sender|date|size */
    const WCHAR *filter_subject;
    const WCHAR *filter_sender;
    BOOL quiet;                /* --quiet: no progress lines */
    BOOL all;                  /* --all: messages show prints properties without a known name too */
};

extern struct options opts;

/* main.c: output and errors */
extern const char *u8( const WCHAR *str );
extern void print_long( const WCHAR *str );
extern const char *mapi_error_name( HRESULT hr );
extern int report_error( HRESULT hr, IUnknown *obj, const char *fmt, ... ) __attribute__((format(printf, 3, 4)));
extern void progress( const char *what, ULONGLONG done, ULONGLONG total );
extern void progress_done( void );
extern WCHAR *dos_path( const WCHAR *path );
extern void free_rows( SRowSet *rows );
extern const SPropValue *find_prop( const SPropValue *props, ULONG count, ULONG tag );
extern const WCHAR *prop_string( const SPropValue *prop, WCHAR *buffer, size_t size );
extern void format_filetime( const FILETIME *ft, char *buffer, size_t size );
extern void print_prop_value( const SPropValue *prop );
extern const char *prop_tag_name( ULONG tag );

/* profiles.c: profiles, stores, sessions */
extern int cmd_profiles( int argc, WCHAR **argv );
extern int cmd_stores( int argc, WCHAR **argv );
extern HRESULT open_session( IMAPISession **session );
extern HRESULT open_store( IMAPISession *session, ULONG flags, IMsgStore **store );
extern HRESULT query_all( IMAPITable *table, SRowSet **rows );

/* folders.c: folders, messages and the logoff trace */
extern int cmd_folders( int argc, WCHAR **argv );
extern int cmd_messages( int argc, WCHAR **argv );
extern int cmd_logoff_trace( int argc, WCHAR **argv );

/* mime.c: .eml files through inetcomm */
struct mime_address
{
    WCHAR *name;
    WCHAR *email;
    ULONG type;                /* MAPI_TO, MAPI_CC, MAPI_BCC */
};

struct mime_attachment
{
    WCHAR *filename;
    WCHAR *mime_type;
    BYTE *data;
    ULONG size;
};

struct mime_message
{
    WCHAR *subject;
    WCHAR *from_name;
    WCHAR *from_email;
    WCHAR *message_id;
    FILETIME date;
    BOOL has_date;
    WCHAR *body;
    struct mime_address *recipients;
    ULONG recipient_count;
    struct mime_attachment *attachments;
    ULONG attachment_count;
};

extern HRESULT mime_parse_file( const WCHAR *path, struct mime_message *msg, char *error, size_t error_size );
extern HRESULT mime_write_file( const WCHAR *path, const struct mime_message *msg, BOOL *by_inetcomm,
                                char *error, size_t error_size );
extern void mime_free( struct mime_message *msg );
extern int cmd_mime( int argc, WCHAR **argv );

#endif /* __MAPITOOL_H */
