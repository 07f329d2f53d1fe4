/*
 * mapitool: folders, messages and the logoff trace
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

struct context
{
    IMAPISession *session;
    IMsgStore *store;
};

static HRESULT context_open( struct context *ctx, ULONG store_flags )
{
    HRESULT hr;

    memset( ctx, 0, sizeof(*ctx) );
    if (FAILED(hr = open_session( &ctx->session ))) return hr;
    if (FAILED(hr = open_store( ctx->session, store_flags, &ctx->store )))
    {
        IMAPISession_Logoff( ctx->session, 0, 0, 0 );
        IMAPISession_Release( ctx->session );
        MAPIUninitialize();
    }
    return hr;
}

static void context_close( struct context *ctx )
{
    ULONG flags = LOGOFF_NO_WAIT;

    IMsgStore_StoreLogoff( ctx->store, &flags );
    IMsgStore_Release( ctx->store );
    IMAPISession_Logoff( ctx->session, 0, 0, 0 );
    IMAPISession_Release( ctx->session );
    MAPIUninitialize();
}

/* the folder paths start at: the IPM subtree, or the root with --root */
static HRESULT open_start_folder( IMsgStore *store, ULONG flags, IMAPIFolder **folder )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    SPropValue *props;
    ULONG count, type;
    HRESULT hr;

    if (opts.root)
    {
        hr = IMsgStore_OpenEntry( store, 0, NULL, &IID_IMAPIFolder, flags, &type, (IUnknown **)folder );
        if (FAILED(hr)) report_error( hr, (IUnknown *)store, "opening the root folder" );
        return hr;
    }
    hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, 0, &count, &props );
    if (hr == MAPI_W_ERRORS_RETURNED) hr = props[0].Value.err;
    if (FAILED(hr))
    {
        report_error( hr, (IUnknown *)store, "reading PR_IPM_SUBTREE_ENTRYID of the store" );
        if (hr != MAPI_E_NOT_FOUND) return hr;
        /* a store without IPM subtree: start at its root */
        opts.root = TRUE;
        return open_start_folder( store, flags, folder );
    }
    hr = IMsgStore_OpenEntry( store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, &IID_IMAPIFolder,
                              flags, &type, (IUnknown **)folder );
    if (FAILED(hr)) report_error( hr, (IUnknown *)store, "opening the IPM subtree" );
    MAPIFreeBuffer( props );
    return hr;
}

static const SizedSPropTagArray(6, folder_columns) =
    { 6, { PR_ENTRYID, PR_DISPLAY_NAME_W, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_FOLDER_TYPE } };

static HRESULT subfolder_rows( IMAPIFolder *folder, SRowSet **rows )
{
    IMAPITable *table;
    HRESULT hr;

    if (FAILED(hr = IMAPIFolder_GetHierarchyTable( folder, MAPI_UNICODE, &table )))
        return report_error( hr, (IUnknown *)folder, "GetHierarchyTable" ), hr;
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&folder_columns, 0 )) ||
        FAILED(hr = query_all( table, rows )))
        report_error( hr, (IUnknown *)table, "reading the hierarchy table" );
    IMAPITable_Release( table );
    return hr;
}

/* Opens FOLDER ("a/b/c", names compared without case) below the start folder. */
static HRESULT open_folder_path( IMsgStore *store, const WCHAR *path, ULONG flags, IMAPIFolder **out )
{
    IMAPIFolder *folder, *child;
    WCHAR name[256], buffer[256];
    const WCHAR *p = path, *end;
    SRowSet *rows;
    HRESULT hr;
    ULONG i, type;

    if (FAILED(hr = open_start_folder( store, flags, &folder ))) return hr;
    while (*p)
    {
        if (*p == '/')
        {
            p++;
            continue;
        }
        end = wcschr( p, '/' );
        if (!end) end = p + wcslen( p );
        lstrcpynW( name, p, min( end - p + 1, ARRAY_SIZE(name) ) );
        p = end;

        if (FAILED(hr = subfolder_rows( folder, &rows )))
        {
            IMAPIFolder_Release( folder );
            return hr;
        }
        child = NULL;
        hr = MAPI_E_NOT_FOUND;
        for (i = 0; i < rows->cRows; i++)
        {
            const SPropValue *props = rows->aRow[i].lpProps;
            ULONG count = rows->aRow[i].cValues;
            const WCHAR *str = prop_string( find_prop( props, count, PR_DISPLAY_NAME_W ), buffer,
                                            ARRAY_SIZE(buffer) );
            const SPropValue *eid = find_prop( props, count, PR_ENTRYID );

            if (!str || !eid || wcsicmp( str, name )) continue;
            hr = IMAPIFolder_OpenEntry( folder, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb,
                                        &IID_IMAPIFolder, flags, &type, (IUnknown **)&child );
            if (FAILED(hr)) report_error( hr, (IUnknown *)folder, "opening folder \"%s\"", u8( name ) );
            break;
        }
        if (i == rows->cRows) report_error( hr, NULL, "no folder \"%s\" in path \"%s\"", u8( name ), u8( path ) );
        free_rows( rows );
        IMAPIFolder_Release( folder );
        if (FAILED(hr)) return hr;
        folder = child;
    }
    *out = folder;
    return S_OK;
}

/* ------------------------------------------------------------- folders -- */

static HRESULT print_tree( IMAPIFolder *folder, int depth, ULONG *folders, ULONG *messages )
{
    WCHAR buffer[256];
    SRowSet *rows;
    HRESULT hr;
    ULONG i, type;

    if (depth > 32) return S_OK;
    if (FAILED(hr = subfolder_rows( folder, &rows ))) return hr;
    for (i = 0; i < rows->cRows && SUCCEEDED(hr); i++)
    {
        const SPropValue *props = rows->aRow[i].lpProps;
        ULONG count = rows->aRow[i].cValues;
        const WCHAR *name = prop_string( find_prop( props, count, PR_DISPLAY_NAME_W ), buffer, ARRAY_SIZE(buffer) );
        const SPropValue *content = find_prop( props, count, PR_CONTENT_COUNT );
        const SPropValue *unread = find_prop( props, count, PR_CONTENT_UNREAD );
        const SPropValue *subs = find_prop( props, count, PR_SUBFOLDERS );
        const SPropValue *eid = find_prop( props, count, PR_ENTRYID );
        IMAPIFolder *child;

        printf( "%*s%s  (%ld message%s, %ld unread%s)\n", depth * 2, "", name ? u8( name ) : "(no name)",
                content ? content->Value.l : 0, content && content->Value.l == 1 ? "" : "s",
                unread ? unread->Value.l : 0, subs && subs->Value.b ? ", has subfolders" : "" );
        (*folders)++;
        if (content) *messages += content->Value.l;
        if (!subs || !subs->Value.b || !eid) continue;
        hr = IMAPIFolder_OpenEntry( folder, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb, &IID_IMAPIFolder,
                                    0, &type, (IUnknown **)&child );
        if (FAILED(hr))
        {
            report_error( hr, (IUnknown *)folder, "opening folder \"%s\"", name ? u8( name ) : "" );
            break;
        }
        hr = print_tree( child, depth + 1, folders, messages );
        IMAPIFolder_Release( child );
    }
    free_rows( rows );
    return hr;
}

static int folders_tree( struct context *ctx )
{
    static const SizedSPropTagArray(4, tags) =
        { 4, { PR_DISPLAY_NAME_W, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS } };
    ULONG folders = 0, messages = 0, count;
    IMAPIFolder *start;
    SPropValue *props;
    WCHAR buffer[256];
    HRESULT hr;

    if (FAILED(hr = open_start_folder( ctx->store, 0, &start ))) return EXIT_FAIL;
    if (SUCCEEDED(IMAPIFolder_GetProps( start, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props )))
    {
        const WCHAR *name = prop_string( find_prop( props, count, PR_DISPLAY_NAME_W ), buffer, ARRAY_SIZE(buffer) );
        const SPropValue *content = find_prop( props, count, PR_CONTENT_COUNT );

        printf( "%s%s  (%ld messages)\n", opts.root ? "[root] " : "[IPM subtree] ", name ? u8( name ) : "",
                content ? content->Value.l : 0 );
        MAPIFreeBuffer( props );
    }
    hr = print_tree( start, 1, &folders, &messages );
    IMAPIFolder_Release( start );
    if (FAILED(hr)) return EXIT_FAIL;
    printf( "%lu folder%s, %lu message%s\n", folders, folders == 1 ? "" : "s", messages, messages == 1 ? "" : "s" );
    return EXIT_OK;
}

/* splits "a/b/c" into the parent path "a/b" and the name "c" */
static void split_path( const WCHAR *path, WCHAR *parent, size_t parent_size, const WCHAR **name )
{
    const WCHAR *slash = wcsrchr( path, '/' );

    if (!slash)
    {
        parent[0] = 0;
        *name = path;
        return;
    }
    lstrcpynW( parent, path, min( slash - path + 1, parent_size ) );
    *name = slash + 1;
}

static int folders_create( struct context *ctx, const WCHAR *path )
{
    IMAPIFolder *parent, *folder;
    WCHAR parent_path[MAX_PATH];
    const WCHAR *name;
    HRESULT hr;

    split_path( path, parent_path, ARRAY_SIZE(parent_path), &name );
    if (FAILED(open_folder_path( ctx->store, parent_path, MAPI_MODIFY, &parent ))) return EXIT_FAIL;
    /* Wine declares the name as LPSTR; MAPI_UNICODE says it is a WCHAR string */
    hr = IMAPIFolder_CreateFolder( parent, FOLDER_GENERIC, (char *)name, NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&folder /* declared without its star */ );
    if (FAILED(hr))
    {
        report_error( hr, (IUnknown *)parent, "CreateFolder \"%s\"", u8( path ) );
        IMAPIFolder_Release( parent );
        return EXIT_FAIL;
    }
    printf( "created folder \"%s\"\n", u8( path ) );
    IMAPIFolder_Release( folder );
    IMAPIFolder_Release( parent );
    return EXIT_OK;
}

static int folders_delete( struct context *ctx, const WCHAR *path )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    IMAPIFolder *parent, *folder;
    WCHAR parent_path[MAX_PATH];
    const WCHAR *name;
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    split_path( path, parent_path, ARRAY_SIZE(parent_path), &name );
    if (!*name)
    {
        fprintf( stderr, "mapitool: folders delete needs a folder name\n" );
        return EXIT_USAGE;
    }
    if (FAILED(open_folder_path( ctx->store, parent_path, MAPI_MODIFY, &parent ))) return EXIT_FAIL;
    if (FAILED(open_folder_path( ctx->store, path, 0, &folder )))
    {
        IMAPIFolder_Release( parent );
        return EXIT_FAIL;
    }
    hr = IMAPIFolder_GetProps( folder, (SPropTagArray *)&tags, 0, &count, &props );
    IMAPIFolder_Release( folder );
    if (FAILED(hr) || hr == MAPI_W_ERRORS_RETURNED)
    {
        report_error( FAILED(hr) ? hr : props[0].Value.err, NULL, "reading PR_ENTRYID of \"%s\"", u8( path ) );
        if (SUCCEEDED(hr)) MAPIFreeBuffer( props );
        IMAPIFolder_Release( parent );
        return EXIT_FAIL;
    }
    /* Wine's IMAPIFolder_DeleteFolder macro calls CreateFolder */
    hr = parent->lpVtbl->DeleteFolder( parent, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, 0, NULL,
                                   DEL_FOLDERS | DEL_MESSAGES );
    MAPIFreeBuffer( props );
    if (FAILED(hr))
    {
        report_error( hr, (IUnknown *)parent, "DeleteFolder \"%s\"", u8( path ) );
        IMAPIFolder_Release( parent );
        return EXIT_FAIL;
    }
    printf( "deleted folder \"%s\"\n", u8( path ) );
    IMAPIFolder_Release( parent );
    return EXIT_OK;
}

int cmd_folders( int argc, WCHAR **argv )
{
    const WCHAR *sub = argc > 1 ? argv[1] : L"tree";
    struct context ctx;
    int ret;

    if (wcscmp( sub, L"tree" ) && (argc != 3 || (wcscmp( sub, L"create" ) && wcscmp( sub, L"delete" ))))
    {
        fprintf( stderr, "usage: mapitool folders [tree]|create PATH|delete PATH\n" );
        return EXIT_USAGE;
    }
    if (FAILED(context_open( &ctx, wcscmp( sub, L"tree" ) ? MDB_WRITE | MAPI_BEST_ACCESS : MAPI_BEST_ACCESS )))
        return EXIT_FAIL;
    if (!wcscmp( sub, L"tree" )) ret = folders_tree( &ctx );
    else if (!wcscmp( sub, L"create" )) ret = folders_create( &ctx, argv[2] );
    else ret = folders_delete( &ctx, argv[2] );
    context_close( &ctx );
    return ret;
}

/* ------------------------------------------------------------ messages -- */

/* PST contents tables carry the "From" column as PR_SENT_REPRESENTING_NAME,
 * and not always PR_SENDER_NAME: both are asked for */
static const SizedSPropTagArray(7, message_columns) =
    { 7, { PR_ENTRYID, PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE,
           PR_CLIENT_SUBMIT_TIME, PR_SENT_REPRESENTING_NAME_W } };

/* the contents table of a folder with --sort and the --filter-* restrictions */
static HRESULT message_rows( IMAPIFolder *folder, SRowSet **rows )
{
    SRestriction and, parts[2], either[2];
    SPropValue subject, sender, sent_rep;
    struct { ULONG cSorts, cCategories, cExpanded; SSortOrder aSort[1]; } order = { 0 };
    IMAPITable *table;
    ULONG n = 0;
    HRESULT hr;

    if (FAILED(hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table )))
        return report_error( hr, (IUnknown *)folder, "GetContentsTable" ), hr;
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&message_columns, 0 )))
    {
        report_error( hr, (IUnknown *)table, "SetColumns on the contents table" );
        goto done;
    }
    if (opts.filter_subject)
    {
        subject.ulPropTag = PR_SUBJECT_W;
        subject.Value.lpszW = (WCHAR *)opts.filter_subject;
        parts[n].rt = RES_CONTENT;
        parts[n].res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
        parts[n].res.resContent.ulPropTag = PR_SUBJECT_W;
        parts[n].res.resContent.lpProp = &subject;
        n++;
    }
    if (opts.filter_sender)
    {
        sender.ulPropTag = PR_SENDER_NAME_W;
        sender.Value.lpszW = (WCHAR *)opts.filter_sender;
        sent_rep.ulPropTag = PR_SENT_REPRESENTING_NAME_W;
        sent_rep.Value.lpszW = (WCHAR *)opts.filter_sender;
        either[0].rt = either[1].rt = RES_CONTENT;
        either[0].res.resContent.ulFuzzyLevel = either[1].res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
        either[0].res.resContent.ulPropTag = PR_SENDER_NAME_W;
        either[0].res.resContent.lpProp = &sender;
        either[1].res.resContent.ulPropTag = PR_SENT_REPRESENTING_NAME_W;
        either[1].res.resContent.lpProp = &sent_rep;
        parts[n].rt = RES_OR;
        parts[n].res.resOr.cRes = 2;
        parts[n].res.resOr.lpRes = either;
        n++;
    }
    if (n)
    {
        and.rt = RES_AND;
        and.res.resAnd.cRes = n;
        and.res.resAnd.lpRes = parts;
        if (FAILED(hr = table->lpVtbl->Restrict( table, n == 1 ? parts : &and, 0 )))
        {
            report_error( hr, (IUnknown *)table, "Restrict on the contents table" );
            goto done;
        }
    }
    if (opts.sort)
    {
        const WCHAR *key = opts.sort;

        order.aSort[0].ulOrder = TABLE_SORT_ASCEND;
        if (*key == '-')
        {
            order.aSort[0].ulOrder = TABLE_SORT_DESCEND;
            key++;
        }
        if (!wcscmp( key, L"subject" )) order.aSort[0].ulPropTag = PR_SUBJECT_W;
        else if (!wcscmp( key, L"sender" )) order.aSort[0].ulPropTag = PR_SENT_REPRESENTING_NAME_W;
        else if (!wcscmp( key, L"date" )) order.aSort[0].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        else if (!wcscmp( key, L"size" )) order.aSort[0].ulPropTag = PR_MESSAGE_SIZE;
        else
        {
            hr = MAPI_E_INVALID_PARAMETER;
            report_error( hr, NULL, "unknown sort key \"%s\" (subject, sender, date, size)", u8( key ) );
            goto done;
        }
        order.cSorts = 1;
        if (FAILED(hr = IMAPITable_SortTable( table, (SSortOrderSet *)&order, 0 )))
        {
            report_error( hr, (IUnknown *)table, "SortTable on the contents table" );
            goto done;
        }
    }
    if (FAILED(hr = query_all( table, rows ))) report_error( hr, (IUnknown *)table, "reading the contents table" );
done:
    IMAPITable_Release( table );
    return hr;
}

static void print_message_row( ULONG number, const SRow *row )
{
    const SPropValue *props = row->lpProps;
    ULONG count = row->cValues;
    WCHAR b1[512], b2[256];
    const WCHAR *subject = prop_string( find_prop( props, count, PR_SUBJECT_W ), b1, ARRAY_SIZE(b1) );
    const WCHAR *sender = prop_string( find_prop( props, count, PR_SENDER_NAME_W ), b2, ARRAY_SIZE(b2) );
    const SPropValue *date = find_prop( props, count, PR_MESSAGE_DELIVERY_TIME );
    const SPropValue *size = find_prop( props, count, PR_MESSAGE_SIZE );
    char time[64] = "-";

    if (!sender) sender = prop_string( find_prop( props, count, PR_SENT_REPRESENTING_NAME_W ), b2, ARRAY_SIZE(b2) );

    if (!date) date = find_prop( props, count, PR_CLIENT_SUBMIT_TIME );
    if (date) format_filetime( &date->Value.ft, time, sizeof(time) );
    printf( "%4lu  %-40s  %-24s  %-19s  %ld\n", number, subject ? u8( subject ) : "(no subject)",
            sender ? u8( sender ) : "", time, size ? size->Value.l : 0 );
}

static int messages_list( IMAPIFolder *folder )
{
    SRowSet *rows;
    ULONG i;

    if (FAILED(message_rows( folder, &rows ))) return EXIT_FAIL;
    printf( "%4s  %-40s  %-24s  %-19s  %s\n", "#", "subject", "sender", "date (UTC)", "size" );
    for (i = 0; i < rows->cRows; i++) print_message_row( i + 1, &rows->aRow[i] );
    printf( "%lu message%s\n", rows->cRows, rows->cRows == 1 ? "" : "s" );
    free_rows( rows );
    return EXIT_OK;
}

/* message number N of the folder as 'messages list' shows it */
static HRESULT open_message_number( IMAPIFolder *folder, const WCHAR *number, ULONG flags, IMessage **message,
                                    SBinary *eid_out )
{
    const SPropValue *eid;
    SRowSet *rows;
    ULONG type;
    HRESULT hr;
    int n = _wtoi( number );

    if (FAILED(hr = message_rows( folder, &rows ))) return hr;
    if (n < 1 || n > (int)rows->cRows)
    {
        free_rows( rows );
        return report_error( MAPI_E_NOT_FOUND, NULL, "no message number %s (the folder lists %lu)",
                             u8( number ), rows->cRows ), MAPI_E_NOT_FOUND;
    }
    if (!(eid = find_prop( rows->aRow[n - 1].lpProps, rows->aRow[n - 1].cValues, PR_ENTRYID )))
    {
        free_rows( rows );
        return report_error( MAPI_E_NOT_FOUND, NULL, "message %d has no PR_ENTRYID", n ), MAPI_E_NOT_FOUND;
    }
    hr = message ? IMAPIFolder_OpenEntry( folder, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb, &IID_IMessage,
                                          flags, &type, (IUnknown **)message ) : S_OK;
    if (FAILED(hr)) report_error( hr, (IUnknown *)folder, "opening message %d", n );
    else if (eid_out)
    {
        eid_out->cb = eid->Value.bin.cb;
        eid_out->lpb = malloc( eid->Value.bin.cb );
        memcpy( eid_out->lpb, eid->Value.bin.lpb, eid->Value.bin.cb );
    }
    free_rows( rows );
    return hr;
}

static void print_table( const char *title, IMAPITable *table, IUnknown *owner )
{
    SRowSet *rows;
    HRESULT hr;
    ULONG i, j;

    if (FAILED(hr = query_all( table, &rows )))
    {
        report_error( hr, (IUnknown *)table, "reading the %s table", title );
        return;
    }
    printf( "%s: %lu\n", title, rows->cRows );
    for (i = 0; i < rows->cRows; i++)
    {
        printf( "  %s %lu:\n", title, i + 1 );
        for (j = 0; j < rows->aRow[i].cValues; j++)
        {
            const SPropValue *prop = &rows->aRow[i].lpProps[j];
            if (PROP_TYPE(prop->ulPropTag) == PT_ERROR) continue;
            if (!opts.all && prop_tag_name( prop->ulPropTag )[0] == '0') continue;
            printf( "    %-36s ", prop_tag_name( prop->ulPropTag ) );
            print_prop_value( prop );
            printf( "\n" );
        }
    }
    free_rows( rows );
}

/* the body through a stream: PR_BODY can be too big for GetProps */
static void print_body( IMessage *message )
{
    IStream *stream;
    WCHAR buffer[2048];
    ULONG read;
    HRESULT hr;

    hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, 0, (IUnknown **)&stream );
    if (FAILED(hr))
    {
        if (hr == MAPI_E_NOT_FOUND) printf( "body: none\n" );
        else report_error( hr, (IUnknown *)message, "OpenProperty PR_BODY_W" );
        return;
    }
    printf( "body:\n" );
    while (SUCCEEDED(hr = IStream_Read( stream, buffer, sizeof(buffer) - sizeof(WCHAR), &read )) && read)
    {
        buffer[read / sizeof(WCHAR)] = 0;
        fputs( u8( buffer ), stdout );
    }
    if (FAILED(hr)) report_error( hr, NULL, "reading the body stream" );
    printf( "\n" );
    IStream_Release( stream );
}

static int messages_show( IMAPIFolder *folder, const WCHAR *number )
{
    IMAPITable *table;
    IMessage *message;
    SPropValue *props;
    ULONG count, i;
    HRESULT hr;

    if (FAILED(open_message_number( folder, number, 0, &message, NULL ))) return EXIT_FAIL;
    if (FAILED(hr = IMessage_GetProps( message, NULL, MAPI_UNICODE, &count, &props )))
    {
        report_error( hr, (IUnknown *)message, "GetProps" );
        IMessage_Release( message );
        return EXIT_FAIL;
    }
    printf( "message %s: %lu properties\n", u8( number ), count );
    for (i = 0; i < count; i++)
    {
        /* the body comes below, in full */
        if (PROP_ID(props[i].ulPropTag) == PROP_ID(PR_BODY_W)) continue;
        if (!opts.all && prop_tag_name( props[i].ulPropTag )[0] == '0') continue;
        printf( "  %-36s ", prop_tag_name( props[i].ulPropTag ) );
        print_prop_value( &props[i] );
        printf( "\n" );
    }
    MAPIFreeBuffer( props );
    print_body( message );
    if (SUCCEEDED(hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, &table )))
    {
        print_table( "recipient", table, (IUnknown *)message );
        IMAPITable_Release( table );
    }
    else report_error( hr, (IUnknown *)message, "GetRecipientTable" );
    if (SUCCEEDED(hr = IMessage_GetAttachmentTable( message, MAPI_UNICODE, &table )))
    {
        print_table( "attachment", table, (IUnknown *)message );
        IMAPITable_Release( table );
    }
    else report_error( hr, (IUnknown *)message, "GetAttachmentTable" );
    IMessage_Release( message );
    return EXIT_OK;
}

/* One .eml into a new message of the folder: every call a MAPI client
 * makes to store mail (CreateMessage, SetProps, ModifyRecipients,
 * CreateAttach, SaveChanges). */
static HRESULT import_one( IMAPIFolder *folder, const WCHAR *file )
{
    struct mime_message mime;
    SPropValue props[16];
    IMessage *message = NULL;
    ADRLIST *list = NULL;
    char error[256] = "";
    ULONG n = 0, i, flags;
    HRESULT hr;

    WCHAR *path = dos_path( file );
    hr = mime_parse_file( path, &mime, error, sizeof(error) );
    free( path );
    if (FAILED(hr))
    {
        fprintf( stderr, "mapitool: %s: %s (%#lx): %s\n", u8( file ), mapi_error_name( hr ), hr, error );
        return hr;
    }

    if (FAILED(hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message )))
    {
        report_error( hr, (IUnknown *)folder, "CreateMessage for %s", u8( file ) );
        goto done;
    }
    flags = MSGFLAG_READ | (mime.attachment_count ? MSGFLAG_HASATTACH : 0);
    props[n].ulPropTag = PR_MESSAGE_CLASS_W; props[n++].Value.lpszW = (WCHAR *)L"IPM.Note";
    props[n].ulPropTag = PR_MESSAGE_FLAGS; props[n++].Value.l = flags;
    if (mime.subject) { props[n].ulPropTag = PR_SUBJECT_W; props[n++].Value.lpszW = mime.subject; }
    if (mime.body) { props[n].ulPropTag = PR_BODY_W; props[n++].Value.lpszW = mime.body; }
    if (mime.from_name || mime.from_email)
    {
        WCHAR *name = mime.from_name ? mime.from_name : mime.from_email;

        props[n].ulPropTag = PR_SENDER_NAME_W; props[n++].Value.lpszW = name;
        props[n].ulPropTag = PR_SENT_REPRESENTING_NAME_W; props[n++].Value.lpszW = name;
        if (mime.from_email)
        {
            props[n].ulPropTag = PR_SENDER_EMAIL_ADDRESS_W; props[n++].Value.lpszW = mime.from_email;
            props[n].ulPropTag = PR_SENDER_ADDRTYPE_W; props[n++].Value.lpszW = (WCHAR *)L"SMTP";
            props[n].ulPropTag = PR_SENT_REPRESENTING_EMAIL_ADDRESS_W; props[n++].Value.lpszW = mime.from_email;
            props[n].ulPropTag = PR_SENT_REPRESENTING_ADDRTYPE_W; props[n++].Value.lpszW = (WCHAR *)L"SMTP";
        }
    }
    if (mime.has_date)
    {
        props[n].ulPropTag = PR_CLIENT_SUBMIT_TIME; props[n++].Value.ft = mime.date;
        props[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME; props[n++].Value.ft = mime.date;
    }
    if (mime.message_id)
    {
        props[n].ulPropTag = PR_INTERNET_MESSAGE_ID_W;
        props[n++].Value.lpszW = mime.message_id;
    }
    if (FAILED(hr = IMessage_SetProps( message, n, props, NULL )))
    {
        report_error( hr, (IUnknown *)message, "SetProps on the new message" );
        goto done;
    }

    if (mime.recipient_count)
    {
        if (FAILED(hr = MAPIAllocateBuffer( CbNewADRLIST( mime.recipient_count ), (void **)&list ))) goto done;
        list->cEntries = 0;
        for (i = 0; i < mime.recipient_count; i++)
        {
            const struct mime_address *addr = &mime.recipients[i];
            SPropValue *values;

            if (FAILED(hr = MAPIAllocateBuffer( 4 * sizeof(SPropValue), (void **)&values ))) goto done;
            values[0].ulPropTag = PR_RECIPIENT_TYPE; values[0].Value.l = addr->type;
            values[1].ulPropTag = PR_DISPLAY_NAME_W;
            values[1].Value.lpszW = addr->name ? addr->name : addr->email;
            values[2].ulPropTag = PR_EMAIL_ADDRESS_W; values[2].Value.lpszW = addr->email;
            values[3].ulPropTag = PR_ADDRTYPE_W; values[3].Value.lpszW = (WCHAR *)L"SMTP";
            list->aEntries[i].ulReserved1 = 0;
            list->aEntries[i].cValues = 4;
            list->aEntries[i].rgPropVals = values;
            list->cEntries++;
        }
        if (FAILED(hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, list )))
        {
            report_error( hr, (IUnknown *)message, "ModifyRecipients" );
            goto done;
        }
    }

    for (i = 0; i < mime.attachment_count; i++)
    {
        const struct mime_attachment *att = &mime.attachments[i];
        SPropValue values[5];
        IAttach *attach;
        ULONG num, m = 0;

        if (FAILED(hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach )))
        {
            report_error( hr, (IUnknown *)message, "CreateAttach" );
            goto done;
        }
        values[m].ulPropTag = PR_ATTACH_METHOD; values[m++].Value.l = ATTACH_BY_VALUE;
        values[m].ulPropTag = PR_ATTACH_DATA_BIN; values[m].Value.bin.cb = att->size;
        values[m++].Value.bin.lpb = att->data;
        if (att->filename)
        {
            values[m].ulPropTag = PR_ATTACH_LONG_FILENAME_W; values[m++].Value.lpszW = att->filename;
            values[m].ulPropTag = PR_ATTACH_FILENAME_W; values[m++].Value.lpszW = att->filename;
        }
        if (att->mime_type) { values[m].ulPropTag = PR_ATTACH_MIME_TAG_W; values[m++].Value.lpszW = att->mime_type; }
        hr = IAttach_SetProps( attach, m, values, NULL );
        if (FAILED(hr)) report_error( hr, (IUnknown *)attach, "SetProps on attachment %lu", i + 1 );
        else if (FAILED(hr = IAttach_SaveChanges( attach, 0 )))
            report_error( hr, (IUnknown *)attach, "SaveChanges on attachment %lu", i + 1 );
        IAttach_Release( attach );
        if (FAILED(hr)) goto done;
    }

    if (FAILED(hr = IMessage_SaveChanges( message, 0 )))
    {
        report_error( hr, (IUnknown *)message, "SaveChanges on the message from %s", u8( file ) );
        goto done;
    }
    printf( "imported %s: \"%s\", %lu recipient%s, %lu attachment%s\n", u8( file ),
            mime.subject ? u8( mime.subject ) : "", mime.recipient_count, mime.recipient_count == 1 ? "" : "s",
            mime.attachment_count, mime.attachment_count == 1 ? "" : "s" );

done:
    if (list)
    {
        for (i = 0; i < list->cEntries; i++) MAPIFreeBuffer( list->aEntries[i].rgPropVals );
        MAPIFreeBuffer( list );
    }
    if (message) IMessage_Release( message );
    mime_free( &mime );
    return hr;
}

static WCHAR *dup_prop( const SPropValue *prop )
{
    WCHAR buffer[1024];
    const WCHAR *str = prop_string( prop, buffer, ARRAY_SIZE(buffer) );

    return str ? wcsdup( str ) : NULL;
}

/* Attachment names come from the message, that is from whoever wrote the
 * PST: "..\\..\\x", "C:\\x", "/etc/x", "CON", "a.txt:stream", "" or 5000
 * characters.  The exported file names them in Content-Disposition, where a
 * mail client that saves attachments would take them as file names, so the
 * export keeps only a plain file name: the last path component, no
 * separators, drive or stream colons, quotes, wildcards or control
 * characters, no leading or trailing dots and spaces, no DOS device name,
 * at most EXPORT_NAME_MAX characters (the extension kept), never empty and
 * unique within the message (without regard to case). */
#define EXPORT_NAME_MAX 200

static BOOL is_device_name( const WCHAR *name )
{
    static const WCHAR *const devices[] = { L"CON", L"PRN", L"AUX", L"NUL", L"CONIN$", L"CONOUT$", L"CLOCK$" };
    size_t len = wcscspn( name, L"." ), i;

    while (len && name[len - 1] == ' ') len--;
    for (i = 0; i < ARRAY_SIZE(devices); i++)
        if (len == wcslen( devices[i] ) && !_wcsnicmp( name, devices[i], len )) return TRUE;
    /* COM1-COM9, LPT1-LPT9 (and the superscript digits Windows also maps) */
    return len == 4 && (!_wcsnicmp( name, L"COM", 3 ) || !_wcsnicmp( name, L"LPT", 3 )) &&
           ((name[3] >= '0' && name[3] <= '9') || name[3] == 0xb9 || name[3] == 0xb2 || name[3] == 0xb3);
}

static WCHAR *export_attach_name( const WCHAR *name, const struct mime_attachment *done, ULONG done_count )
{
    const WCHAR *base = name ? name : L"", *p, *ext;
    WCHAR clean[EXPORT_NAME_MAX + 1], *ret;
    size_t len = 0, stem_len, size, i;
    ULONG n;

    for (p = base; *p; p++) if (*p == '/' || *p == '\\') base = p + 1;
    /* "C:name" names a drive, "name:stream" a stream of name */
    if (base[0] && base[1] == ':') base += 2;
    while (*base == '.' || *base == ' ') base++;
    for (p = base; *p && *p != ':' && len < ARRAY_SIZE(clean) - 1; p++)
    {
        /* keep the extension when the name is cut */
        if (len == EXPORT_NAME_MAX - 16 && wcslen( p ) > 16) p += wcslen( p ) - 16;
        clean[len++] = (*p < 0x20 || *p == 0x7f || wcschr( L"<>\"|?*", *p )) ? '_' : *p;
    }
    while (len && (clean[len - 1] == '.' || clean[len - 1] == ' ')) len--;
    clean[len] = 0;
    if (!len) wcscpy( clean, L"attachment.bin" );
    ext = wcsrchr( clean, '.' );
    if (!ext || ext == clean) ext = clean + wcslen( clean );
    stem_len = ext - clean;
    /* room for "_", " (4294967295)" and the terminator */
    size = wcslen( clean ) + 16;
    if (!(ret = malloc( size * sizeof(WCHAR) ))) return NULL;
    for (n = 1; ; n++)
    {
        if (n == 1) _snwprintf( ret, size, L"%ls%ls", is_device_name( clean ) ? L"_" : L"", clean );
        else _snwprintf( ret, size, L"%ls%.*ls (%lu)%ls", is_device_name( clean ) ? L"_" : L"",
                         (int)stem_len, clean, n, ext );
        ret[size - 1] = 0;
        for (i = 0; i < done_count; i++) if (done[i].filename && !_wcsicmp( done[i].filename, ret )) break;
        if (i == done_count) break;
    }
    return ret;
}

/* reads an attachment's data through a stream: it may be large */
static HRESULT read_attach_data( IAttach *attach, BYTE **data, ULONG *size )
{
    IStream *stream;
    STATSTG stat;
    ULONG read;
    HRESULT hr;

    *data = NULL;
    *size = 0;
    if (FAILED(hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&stream )))
        return hr;
    if (SUCCEEDED(hr = IStream_Stat( stream, &stat, STATFLAG_NONAME )))
    {
        if (stat.cbSize.QuadPart > 0x10000000) hr = MAPI_E_TOO_BIG;
        else if (!(*data = malloc( stat.cbSize.QuadPart + 1 ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else if (SUCCEEDED(hr = IStream_Read( stream, *data, stat.cbSize.QuadPart, &read ))) *size = read;
    }
    IStream_Release( stream );
    return hr;
}

static int messages_export( IMAPIFolder *folder, const WCHAR *number, const WCHAR *file )
{
    static const SizedSPropTagArray(8, tags) =
        { 8, { PR_SUBJECT_W, PR_SENDER_NAME_W, PR_SENDER_EMAIL_ADDRESS_W, PR_CLIENT_SUBMIT_TIME,
               PR_MESSAGE_DELIVERY_TIME, PR_INTERNET_MESSAGE_ID_W, PR_BODY_W, PR_SENT_REPRESENTING_NAME_W } };
    static const SizedSPropTagArray(4, recip_tags) =
        { 4, { PR_RECIPIENT_TYPE, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_SMTP_ADDRESS_W } };
    static const SizedSPropTagArray(4, attach_tags) =
        { 4, { PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME_W, PR_ATTACH_FILENAME_W, PR_ATTACH_MIME_TAG_W } };
    struct mime_message mime;
    const SPropValue *date;
    IMAPITable *table;
    IMessage *message;
    SPropValue *props;
    SRowSet *rows;
    char error[256] = "";
    BOOL by_inetcomm;
    WCHAR *path;
    ULONG count, i;
    HRESULT hr;

    memset( &mime, 0, sizeof(mime) );
    if (FAILED(open_message_number( folder, number, 0, &message, NULL ))) return EXIT_FAIL;
    if (FAILED(hr = IMessage_GetProps( message, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props )))
    {
        report_error( hr, (IUnknown *)message, "GetProps" );
        IMessage_Release( message );
        return EXIT_FAIL;
    }
    mime.subject = dup_prop( find_prop( props, count, PR_SUBJECT_W ) );
    mime.from_name = dup_prop( find_prop( props, count, PR_SENDER_NAME_W ) );
    if (!mime.from_name) mime.from_name = dup_prop( find_prop( props, count, PR_SENT_REPRESENTING_NAME_W ) );
    mime.from_email = dup_prop( find_prop( props, count, PR_SENDER_EMAIL_ADDRESS_W ) );
    mime.message_id = dup_prop( find_prop( props, count, PR_INTERNET_MESSAGE_ID_W ) );
    mime.body = dup_prop( find_prop( props, count, PR_BODY_W ) );
    if ((date = find_prop( props, count, PR_CLIENT_SUBMIT_TIME )) ||
        (date = find_prop( props, count, PR_MESSAGE_DELIVERY_TIME )))
    {
        mime.date = date->Value.ft;
        mime.has_date = TRUE;
    }
    MAPIFreeBuffer( props );

    if (SUCCEEDED(hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, &table )))
    {
        if (SUCCEEDED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&recip_tags, 0 )) &&
            SUCCEEDED(hr = query_all( table, &rows )))
        {
            mime.recipients = calloc( rows->cRows + 1, sizeof(*mime.recipients) );
            for (i = 0; i < rows->cRows; i++)
            {
                const SPropValue *p = rows->aRow[i].lpProps;
                ULONG c = rows->aRow[i].cValues;
                const SPropValue *type = find_prop( p, c, PR_RECIPIENT_TYPE );
                struct mime_address *addr = &mime.recipients[mime.recipient_count++];

                addr->type = type ? type->Value.l : MAPI_TO;
                addr->name = dup_prop( find_prop( p, c, PR_DISPLAY_NAME_W ) );
                addr->email = dup_prop( find_prop( p, c, PR_SMTP_ADDRESS_W ) );
                if (!addr->email) addr->email = dup_prop( find_prop( p, c, PR_EMAIL_ADDRESS_W ) );
            }
            free_rows( rows );
        }
        else report_error( hr, (IUnknown *)table, "reading the recipient table" );
        IMAPITable_Release( table );
    }
    else report_error( hr, (IUnknown *)message, "GetRecipientTable" );

    if (SUCCEEDED(hr = IMessage_GetAttachmentTable( message, MAPI_UNICODE, &table )))
    {
        if (SUCCEEDED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&attach_tags, 0 )) &&
            SUCCEEDED(hr = query_all( table, &rows )))
        {
            mime.attachments = calloc( rows->cRows + 1, sizeof(*mime.attachments) );
            for (i = 0; i < rows->cRows; i++)
            {
                const SPropValue *p = rows->aRow[i].lpProps;
                ULONG c = rows->aRow[i].cValues;
                const SPropValue *num = find_prop( p, c, PR_ATTACH_NUM );
                struct mime_attachment *att = &mime.attachments[mime.attachment_count];
                IAttach *attach;

                if (!num) continue;
                if (FAILED(hr = IMessage_OpenAttach( message, num->Value.l, NULL, 0, &attach )))
                {
                    report_error( hr, (IUnknown *)message, "OpenAttach %ld", num->Value.l );
                    continue;
                }
                if (FAILED(hr = read_attach_data( attach, &att->data, &att->size )))
                    report_error( hr, (IUnknown *)attach, "reading PR_ATTACH_DATA_BIN of attachment %ld",
                                  num->Value.l );
                else
                {
                    WCHAR *stored = dup_prop( find_prop( p, c, PR_ATTACH_LONG_FILENAME_W ) );

                    if (!stored) stored = dup_prop( find_prop( p, c, PR_ATTACH_FILENAME_W ) );
                    att->filename = export_attach_name( stored, mime.attachments, mime.attachment_count );
                    free( stored );
                    att->mime_type = dup_prop( find_prop( p, c, PR_ATTACH_MIME_TAG_W ) );
                    mime.attachment_count++;
                }
                IAttach_Release( attach );
            }
            free_rows( rows );
        }
        else report_error( hr, (IUnknown *)table, "reading the attachment table" );
        IMAPITable_Release( table );
    }
    else report_error( hr, (IUnknown *)message, "GetAttachmentTable" );
    IMessage_Release( message );

    path = dos_path( file );
    hr = mime_write_file( path, &mime, &by_inetcomm, error, sizeof(error) );
    mime_free( &mime );
    if (FAILED(hr))
    {
        fprintf( stderr, "mapitool: writing %s: %s (%#lx): %s\n", u8( path ), mapi_error_name( hr ), hr, error );
        free( path );
        return EXIT_FAIL;
    }
    printf( "exported message %s to %s%s\n", u8( number ), u8( path ),
            by_inetcomm ? "" : " (inetcomm cannot compose MIME on this Wine: mapitool wrote it)" );
    free( path );
    return EXIT_OK;
}

static int messages_delete_move( struct context *ctx, IMAPIFolder *folder, const WCHAR *number,
                                 const WCHAR *dest_path )
{
    IMAPIFolder *dest = NULL;
    ENTRYLIST list;
    SBinary eid;
    HRESULT hr;

    if (FAILED(open_message_number( folder, number, 0, NULL, &eid ))) return EXIT_FAIL;
    list.cValues = 1;
    list.lpbin = &eid;
    if (dest_path)
    {
        if (FAILED(open_folder_path( ctx->store, dest_path, MAPI_MODIFY, &dest )))
        {
            free( eid.lpb );
            return EXIT_FAIL;
        }
        hr = IMAPIFolder_CopyMessages( folder, &list, &IID_IMAPIFolder, dest, 0, NULL, MESSAGE_MOVE );
        if (FAILED(hr)) report_error( hr, (IUnknown *)folder, "CopyMessages (MESSAGE_MOVE) to \"%s\"",
                                      u8( dest_path ) );
        else printf( "moved message %s to \"%s\"\n", u8( number ), u8( dest_path ) );
        IMAPIFolder_Release( dest );
    }
    else
    {
        hr = IMAPIFolder_DeleteMessages( folder, &list, 0, NULL, 0 );
        if (FAILED(hr)) report_error( hr, (IUnknown *)folder, "DeleteMessages" );
        else printf( "deleted message %s\n", u8( number ) );
    }
    free( eid.lpb );
    return FAILED(hr) || hr == MAPI_W_PARTIAL_COMPLETION ? EXIT_FAIL : EXIT_OK;
}

int cmd_messages( int argc, WCHAR **argv )
{
    const WCHAR *sub = argc > 1 ? argv[1] : L"";
    BOOL write = !wcscmp( sub, L"import" ) || !wcscmp( sub, L"delete" ) || !wcscmp( sub, L"move" );
    struct context ctx;
    IMAPIFolder *folder;
    int ret = EXIT_OK, i;

    if (!((!wcscmp( sub, L"list" ) && argc == 3) || (!wcscmp( sub, L"show" ) && argc == 4) ||
          (!wcscmp( sub, L"import" ) && argc >= 4) || (!wcscmp( sub, L"export" ) && argc == 5) ||
          (!wcscmp( sub, L"delete" ) && argc == 4) || (!wcscmp( sub, L"move" ) && argc == 5)))
    {
        fprintf( stderr, "usage: mapitool messages list FOLDER | show FOLDER N | import FOLDER FILE.eml... |\n"
                 "                         export FOLDER N FILE.eml | delete FOLDER N | move FOLDER N DEST\n" );
        return EXIT_USAGE;
    }
    if (FAILED(context_open( &ctx, write ? MDB_WRITE | MAPI_BEST_ACCESS : MAPI_BEST_ACCESS ))) return EXIT_FAIL;
    if (FAILED(open_folder_path( ctx.store, argv[2], write ? MAPI_MODIFY : 0, &folder )))
    {
        context_close( &ctx );
        return EXIT_FAIL;
    }
    if (!wcscmp( sub, L"list" )) ret = messages_list( folder );
    else if (!wcscmp( sub, L"show" )) ret = messages_show( folder, argv[3] );
    else if (!wcscmp( sub, L"export" )) ret = messages_export( folder, argv[3], argv[4] );
    else if (!wcscmp( sub, L"delete" )) ret = messages_delete_move( &ctx, folder, argv[3], NULL );
    else if (!wcscmp( sub, L"move" )) ret = messages_delete_move( &ctx, folder, argv[3], argv[4] );
    else
    {
        for (i = 3; i < argc; i++)
        {
            if (argc - 3 > 1) progress( "import", i - 3, argc - 3 );
            if (FAILED(import_one( folder, argv[i] ))) ret = EXIT_FAIL;
        }
        if (argc - 3 > 1) progress( "import", argc - 3, argc - 3 );
        progress_done();
    }
    IMAPIFolder_Release( folder );
    context_close( &ctx );
    return ret;
}

/* --------------------------------------------------------- logoff trace -- */

static void step( const char *what, HRESULT hr )
{
    printf( "  %-58s -> %s (%#lx)\n", what, mapi_error_name( hr ), hr );
}

/* what each held object answers now */
static void probe( const char *when, IMsgStore *store, IMAPIFolder *folder, IMAPITable *table, IMessage *message,
                   IStream *stream )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    static const SizedSPropTagArray(1, msg_tags) = { 1, { PR_SUBJECT_W } };
    SPropValue *props;
    ULONG count, rows;
    STATSTG stat;
    HRESULT hr;

    printf( "%s, the held objects answer:\n", when );
    if (store)
    {
        hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        if (SUCCEEDED(hr)) MAPIFreeBuffer( props );
        step( "store IMsgStore::GetProps", hr );
    }
    if (folder)
    {
        hr = IMAPIFolder_GetProps( folder, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        if (SUCCEEDED(hr)) MAPIFreeBuffer( props );
        step( "folder IMAPIFolder::GetProps", hr );
    }
    if (table)
    {
        hr = IMAPITable_GetRowCount( table, 0, &rows );
        step( "table IMAPITable::GetRowCount", hr );
    }
    if (message)
    {
        hr = IMessage_GetProps( message, (SPropTagArray *)&msg_tags, MAPI_UNICODE, &count, &props );
        if (SUCCEEDED(hr)) MAPIFreeBuffer( props );
        step( "message IMessage::GetProps", hr );
    }
    if (stream)
    {
        hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
        step( "stream IStream::Stat", hr );
    }
}

/* the first message in the folder or below it, for the trace to hold */
static HRESULT find_message( IMAPIFolder *folder, int depth, IMessage **message )
{
    static const SizedSPropTagArray(1, eid_column) = { 1, { PR_ENTRYID } };
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i, type;

    *message = NULL;
    if (depth > 16) return MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr = IMAPIFolder_GetContentsTable( folder, 0, &table )))
    {
        if (SUCCEEDED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&eid_column, 0 )) &&
            SUCCEEDED(hr = IMAPITable_QueryRows( table, 1, 0, &rows )))
        {
            if (rows->cRows && rows->aRow[0].lpProps[0].ulPropTag == PR_ENTRYID)
                hr = IMAPIFolder_OpenEntry( folder, rows->aRow[0].lpProps[0].Value.bin.cb,
                                            (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, &IID_IMessage, 0,
                                            &type, (IUnknown **)message );
            free_rows( rows );
        }
        IMAPITable_Release( table );
        if (*message) return S_OK;
    }
    if (FAILED(hr = subfolder_rows( folder, &rows ))) return hr;
    hr = MAPI_E_NOT_FOUND;
    for (i = 0; i < rows->cRows && !*message; i++)
    {
        const SPropValue *eid = find_prop( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_ENTRYID );
        IMAPIFolder *child;

        if (!eid || FAILED(IMAPIFolder_OpenEntry( folder, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb,
                                                  &IID_IMAPIFolder, 0, &type, (IUnknown **)&child )))
            continue;
        hr = find_message( child, depth + 1, message );
        IMAPIFolder_Release( child );
    }
    free_rows( rows );
    return *message ? S_OK : hr;
}

int cmd_logoff_trace( int argc, WCHAR **argv )
{
    IMAPISession *session;
    IMsgStore *store;
    IMAPIFolder *folder = NULL;
    IMAPITable *table = NULL;
    IMessage *message = NULL;
    IStream *stream = NULL;
    ULONG flags, type, ref;
    HRESULT hr;

    printf( "logon:\n" );
    if (FAILED(hr = open_session( &session ))) return EXIT_FAIL;
    step( "MAPILogonEx", hr );
    if (FAILED(hr = open_store( session, MAPI_BEST_ACCESS, &store )))
    {
        IMAPISession_Logoff( session, 0, 0, 0 );
        IMAPISession_Release( session );
        MAPIUninitialize();
        return EXIT_FAIL;
    }
    step( "IMAPISession::OpenMsgStore", hr );

    printf( "opening the objects to hold:\n" );
    hr = IMsgStore_OpenEntry( store, 0, NULL, &IID_IMAPIFolder, 0, &type, (IUnknown **)&folder );
    step( "IMsgStore::OpenEntry (root folder)", hr );
    if (FAILED(hr)) report_error( hr, (IUnknown *)store, "opening the root folder" );
    if (folder)
    {
        hr = IMAPIFolder_GetHierarchyTable( folder, 0, &table );
        step( "IMAPIFolder::GetHierarchyTable", hr );
        hr = find_message( folder, 0, &message );
        step( "IMAPIFolder::OpenEntry (first message of the store)", hr );
    }
    if (message)
    {
        hr = IMessage_OpenProperty( message, PR_BODY_W, &IID_IStream, 0, 0, (IUnknown **)&stream );
        step( "IMessage::OpenProperty (PR_BODY_W as IStream)", hr );
        if (FAILED(hr))
        {
            hr = IMessage_OpenProperty( message, PR_SUBJECT_W, &IID_IStream, 0, 0, (IUnknown **)&stream );
            step( "IMessage::OpenProperty (PR_SUBJECT_W as IStream)", hr );
        }
    }
    printf( "holding: store, %s folder, %s table, %s message, %s stream\n", folder ? "a" : "no",
            table ? "a" : "no", message ? "a" : "no", stream ? "a" : "no" );
    probe( "before logoff", store, folder, table, message, stream );

    printf( "teardown:\n" );
    flags = LOGOFF_NO_WAIT;
    hr = IMsgStore_StoreLogoff( store, &flags );
    step( "IMsgStore::StoreLogoff (LOGOFF_NO_WAIT)", hr );
    printf( "  flags out of StoreLogoff: %#lx%s%s%s%s\n", flags, flags & LOGOFF_COMPLETE ? " LOGOFF_COMPLETE" : "",
            flags & LOGOFF_INBOUND ? " LOGOFF_INBOUND" : "", flags & LOGOFF_OUTBOUND ? " LOGOFF_OUTBOUND" : "",
            flags & LOGOFF_OUTBOUND_QUEUE ? " LOGOFF_OUTBOUND_QUEUE" : "" );
    /* after StoreLogoff only Release may be called on the store itself */
    probe( "after StoreLogoff", NULL, folder, table, message, stream );

    printf( "teardown of the session:\n" );
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    step( "IMAPISession::Logoff", hr );
    probe( "after IMAPISession::Logoff", NULL, folder, table, message, stream );

    printf( "releasing:\n" );
    if (stream) printf( "  stream Release -> %lu\n", IStream_Release( stream ) );
    if (message) printf( "  message Release -> %lu\n", IMessage_Release( message ) );
    if (table) printf( "  table Release -> %lu\n", IMAPITable_Release( table ) );
    if (folder) printf( "  folder Release -> %lu\n", IMAPIFolder_Release( folder ) );
    ref = IMsgStore_Release( store );
    printf( "  store Release -> %lu\n", ref );
    ref = IMAPISession_Release( session );
    printf( "  session Release -> %lu\n", ref );
    MAPIUninitialize();
    printf( "  MAPIUninitialize done\n" );
    return EXIT_OK;
}
