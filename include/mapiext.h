/*
 * MAPI definitions that Wine 8.0's mapidefs.h, mapix.h and mapitags.h lack
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
 * Values from Microsoft's documentation of the MAPI headers.  Inside Wine's
 * tree these belong in mapidefs.h and mapix.h; each is guarded so that a
 * header which already has it wins.
 */

#ifndef __WINE_MAPIEXT_H
#define __WINE_MAPIEXT_H

/* MAPIERROR.ulVersion */
#ifndef MAPI_ERROR_VERSION
#define MAPI_ERROR_VERSION          0
#endif

/* IMAPISession::OpenMsgStore and IMSProvider::Logon */
#ifndef MDB_WRITE
#define MDB_WRITE                   0x00000004
#endif
#ifndef MAPI_DEFERRED_ERRORS
#define MAPI_DEFERRED_ERRORS        0x00000008
#endif
#ifndef MDB_TEMPORARY
#define MDB_TEMPORARY               0x00000020
#endif
#ifndef MDB_NO_MAIL
#define MDB_NO_MAIL                 0x00000080
#endif

/* IMAPISession::Logoff */
#ifndef MAPI_LOGOFF_SHARED
#define MAPI_LOGOFF_SHARED          0x00000001
#endif
#ifndef MAPI_LOGOFF_UI
#define MAPI_LOGOFF_UI              0x00000002
#endif

/* PR_STORE_SUPPORT_MASK */
#ifndef STORE_ENTRYID_UNIQUE
#define STORE_ENTRYID_UNIQUE        0x00000001
#define STORE_READONLY              0x00000002
#define STORE_SEARCH_OK             0x00000004
#define STORE_MODIFY_OK             0x00000008
#define STORE_CREATE_OK             0x00000010
#define STORE_ATTACH_OK             0x00000020
#define STORE_OLE_OK                0x00000040
#define STORE_SUBMIT_OK             0x00000080
#define STORE_NOTIFY_OK             0x00000100
#define STORE_MV_PROPS_OK           0x00000200
#define STORE_CATEGORIZE_OK         0x00000400
#define STORE_RTF_OK                0x00000800
#define STORE_RESTRICTION_OK        0x00001000
#define STORE_SORT_OK               0x00002000
#define STORE_PUBLIC_FOLDERS        0x00004000
#define STORE_UNCOMPRESSED_RTF      0x00008000
#define STORE_HTML_OK               0x00010000
#define STORE_ANSI_OK               0x00020000
#define STORE_UNICODE_OK            0x00040000
#define STORE_LOCALSTORE            0x00080000
#define STORE_ITEMPROC              0x00200000
#define STORE_PUSHER_OK             0x00800000
#define STORE_HAS_SEARCHES          0x01000000
#endif

/* PR_RESOURCE_FLAGS */
#ifndef STATUS_DEFAULT_STORE
#define STATUS_DEFAULT_OUTBOUND     0x00000001
#define STATUS_DEFAULT_STORE        0x00000002
#define STATUS_PRIMARY_IDENTITY     0x00000004
#define STATUS_SIMPLE_STORE         0x00000008
#define STATUS_XP_PREFER_LAST       0x00000010
#define STATUS_NO_PRIMARY_IDENTITY  0x00000020
#define STATUS_NO_DEFAULT_STORE     0x00000040
#define STATUS_TEMP_SECTION         0x00000080
#define STATUS_OWN_STORE            0x00000100
#define STATUS_NEED_IPM_TREE        0x00000800
#define STATUS_PRIMARY_STORE        0x00001000
#define STATUS_SECONDARY_STORE      0x00002000
#endif

/* PR_STATUS_CODE */
#ifndef STATUS_AVAILABLE
#define STATUS_AVAILABLE            0x00000001
#define STATUS_OFFLINE              0x00000002
#define STATUS_FAILURE              0x00000004
#endif

/* PR_RESOURCE_TYPE */
#ifndef MAPI_STORE_PROVIDER
#define MAPI_STORE_PROVIDER         33
#define MAPI_AB                     34
#define MAPI_AB_PROVIDER            35
#define MAPI_TRANSPORT_PROVIDER     36
#define MAPI_SPOOLER                37
#define MAPI_PROFILE_PROVIDER       38
#define MAPI_SUBSYSTEM              39
#define MAPI_HOOK_PROVIDER          40
#endif

/* MAPILogonEx */
#ifndef MAPI_APP_PROFILE
#define MAPI_APP_PROFILE            0x00000004
#endif
#ifndef MAPI_BG_SESSION
#define MAPI_BG_SESSION             0x00200000
#endif

/* IMAPISession::SetDefaultStore; values, not bits */
#ifndef MAPI_DEFAULT_STORE
#define MAPI_DEFAULT_STORE          0x00000001
#define MAPI_SIMPLE_STORE_TEMPORARY 0x00000002
#define MAPI_SIMPLE_STORE_PERMANENT 0x00000003
#define MAPI_PRIMARY_STORE          0x00000004
#define MAPI_SECONDARY_STORE        0x00000005
#endif

/* PR_RESOURCE_FLAGS of hook providers */
#ifndef HOOK_INBOUND
#define HOOK_INBOUND                0x00000200
#define HOOK_OUTBOUND               0x00000400
#endif

/* IMAPIProp::OpenProperty / display tables */
#ifndef MAPI_DIALOG
#define MAPI_DIALOG                 0x00000008
#endif

/* profile section property of the Personal Folders service (MSUPST MS),
 * as Microsoft's samples define it */
#ifndef PR_PST_PATH_W
#define PR_PST_PATH_W               PROP_TAG(PT_UNICODE, 0x6700)
#define PR_PST_PATH_A               PROP_TAG(PT_STRING8, 0x6700)
#endif

/* CreateMessage, GetContentsTable */
#ifndef MAPI_ASSOCIATED
#define MAPI_ASSOCIATED             0x00000040
#endif

/* PR_MESSAGE_FLAGS */
#ifndef MSGFLAG_ASSOCIATED
#define MSGFLAG_ASSOCIATED          0x00000040
#endif

/* IMAPIContainer::GetHierarchyTable, GetContentsTable */
#ifndef CONVENIENT_DEPTH
#define CONVENIENT_DEPTH            0x00000001
#endif
#ifndef SHOW_SOFT_DELETES
#define SHOW_SOFT_DELETES           0x00000002
#endif
#ifndef MAPI_NO_CACHE
#define MAPI_NO_CACHE               0x00000200
#endif

/* IMAPIFolder::CreateFolder; PR_FOLDER_TYPE values */
#ifndef OPEN_IF_EXISTS
#define OPEN_IF_EXISTS              0x00000001
#endif
#ifndef FOLDER_ROOT
#define FOLDER_ROOT                 0
#endif
#ifndef FOLDER_GENERIC
#define FOLDER_GENERIC              1
#endif
#ifndef FOLDER_SEARCH
#define FOLDER_SEARCH               2
#endif

/* IMAPIFolder::CopyFolder, CopyMessages */
#ifndef FOLDER_MOVE
#define FOLDER_MOVE                 0x00000001
#endif
#ifndef FOLDER_DIALOG
#define FOLDER_DIALOG               0x00000002
#endif
#ifndef COPY_SUBFOLDERS
#define COPY_SUBFOLDERS             0x00000010
#endif
#ifndef MESSAGE_MOVE
#define MESSAGE_MOVE                0x00000001
#endif
#ifndef MESSAGE_DIALOG
#define MESSAGE_DIALOG              0x00000002
#endif

/* IMAPIFolder::DeleteFolder, DeleteMessages, EmptyFolder */
#ifndef DEL_FOLDERS
#define DEL_FOLDERS                 0x00000004
#endif
#ifndef DEL_MESSAGES
#define DEL_MESSAGES                0x00000008
#endif
#ifndef DEL_ASSOCIATED
#define DEL_ASSOCIATED              0x00000008
#endif
#ifndef DELETE_HARD_DELETE
#define DELETE_HARD_DELETE          0x00000010
#endif

/* IMAPIFolder::SetReadFlags, IMessage::SetReadFlag */
#ifndef SUPPRESS_RECEIPT
#define SUPPRESS_RECEIPT            0x00000001
#endif
#ifndef CLEAR_READ_FLAG
#define CLEAR_READ_FLAG             0x00000004
#endif
#ifndef GENERATE_RECEIPT_ONLY
#define GENERATE_RECEIPT_ONLY       0x00000010
#endif
#ifndef CLEAR_RN_PENDING
#define CLEAR_RN_PENDING            0x00000020
#endif
#ifndef CLEAR_NRN_PENDING
#define CLEAR_NRN_PENDING           0x00000040
#endif

/* IMAPIContainer::SetSearchCriteria */
#ifndef RESTART_SEARCH
#define RESTART_SEARCH              0x00000002
#endif
#ifndef RECURSIVE_SORT
#define RECURSIVE_SORT              0x00000002
#endif

/* PR_MESSAGE_FLAGS */
#ifndef MSGFLAG_RN_PENDING
#define MSGFLAG_RN_PENDING          0x00000100
#endif
#ifndef MSGFLAG_NRN_PENDING
#define MSGFLAG_NRN_PENDING         0x00000200
#endif

/* PR_VALID_FOLDER_MASK */
#ifndef FOLDER_IPM_SUBTREE_VALID
#define FOLDER_IPM_SUBTREE_VALID    0x00000001
#endif
#ifndef FOLDER_IPM_INBOX_VALID
#define FOLDER_IPM_INBOX_VALID      0x00000002
#endif
#ifndef FOLDER_IPM_OUTBOX_VALID
#define FOLDER_IPM_OUTBOX_VALID     0x00000004
#endif
#ifndef FOLDER_IPM_WASTEBASKET_VALID
#define FOLDER_IPM_WASTEBASKET_VALID 0x00000008
#endif
#ifndef FOLDER_IPM_SENTMAIL_VALID
#define FOLDER_IPM_SENTMAIL_VALID   0x00000010
#endif
#ifndef FOLDER_VIEWS_VALID
#define FOLDER_VIEWS_VALID          0x00000020
#endif
#ifndef FOLDER_COMMON_VIEWS_VALID
#define FOLDER_COMMON_VIEWS_VALID   0x00000040
#endif
#ifndef FOLDER_FINDER_VALID
#define FOLDER_FINDER_VALID         0x00000080
#endif

/* PR_DISPLAY_TYPE of folders */
#ifndef DT_FOLDER
#define DT_FOLDER                   0x01000000
#endif

/* IMessage::ModifyRecipients, SetLockState; PR_ATTACH_METHOD; PR_IMPORTANCE */
#ifndef MODRECIP_ADD
#define MODRECIP_ADD                0x00000002
#endif
#ifndef MODRECIP_MODIFY
#define MODRECIP_MODIFY             0x00000004
#endif
#ifndef MODRECIP_REMOVE
#define MODRECIP_REMOVE             0x00000008
#endif
#ifndef MSG_LOCKED
#define MSG_LOCKED                  0x00000001
#endif
#ifndef ATTACH_EMBEDDED_MSG
#define ATTACH_EMBEDDED_MSG         0x00000005
#endif
#ifndef ATTACH_OLE
#define ATTACH_OLE                  0x00000006
#endif
#ifndef IMPORTANCE_NORMAL
#define IMPORTANCE_NORMAL           1
#endif
#ifndef IMPORTANCE_HIGH
#define IMPORTANCE_HIGH             2
#endif

/* IStream::Write of MAPI's property streams */
#ifndef STREAM_APPEND
#define STREAM_APPEND               0x00000004
#endif

/* PR_HTML */
#ifndef PR_HTML
#define PR_HTML                     PROP_TAG(PT_BINARY, 0x1013)
#endif

/* IMAPIProp::CopyTo, CopyProps, GetNamesFromIDs */
#ifndef MAPI_MOVE
#define MAPI_MOVE                   0x00000001
#endif
#ifndef MAPI_NOREPLACE
#define MAPI_NOREPLACE              0x00000002
#endif
#ifndef MAPI_DECLINE_OK
#define MAPI_DECLINE_OK             0x00000004
#endif
#ifndef MAPI_NO_STRINGS
#define MAPI_NO_STRINGS             0x00000001
#endif
#ifndef MAPI_NO_IDS
#define MAPI_NO_IDS                 0x00000002
#endif

/* IMAPITable::QueryColumns, QueryRows; RES_BITMASK */
#ifndef TBL_ALL_COLUMNS
#define TBL_ALL_COLUMNS             0x00000001
#endif
#ifndef TBL_NOADVANCE
#define TBL_NOADVANCE               0x00000001
#endif
#ifndef BMR_EQZ
#define BMR_EQZ                     0
#endif
#ifndef BMR_NEZ
#define BMR_NEZ                     1
#endif

/* IMAPIStatus: PR_RESOURCE_METHODS */
#ifndef STATUS_VALIDATE_STATE
#define STATUS_VALIDATE_STATE       0x00000001
#endif
#ifndef STATUS_SETTINGS_DIALOG
#define STATUS_SETTINGS_DIALOG      0x00000002
#endif
#ifndef STATUS_CHANGE_PASSWORD
#define STATUS_CHANGE_PASSWORD      0x00000004
#endif
#ifndef STATUS_FLUSH_QUEUES
#define STATUS_FLUSH_QUEUES         0x00000008
#endif

/* IMAPISession::OpenMsgStore; IMsgServiceAdmin::ConfigureMsgService */
#ifndef MDB_NO_DIALOG
#define MDB_NO_DIALOG               0x00000001
#endif
#ifndef UI_CURRENT_PROVIDER_FIRST
#define UI_CURRENT_PROVIDER_FIRST   0x00000004
#endif

/* sizes of MAPI's counted structures */
#ifndef CbNewADRLIST
#define CbNewADRLIST(n) (offsetof(ADRLIST, aEntries) + (n) * sizeof(ADRENTRY))
#endif
#ifndef CbNewSPropProblemArray
#define CbNewSPropProblemArray(n) (offsetof(SPropProblemArray, aProblem) + (n) * sizeof(SPropProblem))
#endif
#ifndef CbNewSSortOrderSet
#define CbNewSSortOrderSet(n) (offsetof(SSortOrderSet, aSort) + (n) * sizeof(SSortOrder))
#endif
#ifndef CbSSortOrderSet
#define CbSSortOrderSet(p) CbNewSSortOrderSet((p)->cSorts)
#endif

#endif /* __WINE_MAPIEXT_H */
