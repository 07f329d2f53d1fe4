/*
 * Layout of the service provider interfaces declared by include/mapispi.idl
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

#include <stdarg.h>
#include <stddef.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "initguid.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapiguid.h"
/* the SPI IIDs mapiguid.h lacks; see mapispi.idl */
DEFINE_OLEGUID(IID_IMAPISupport, 0x0002030f, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProviderShutdown, 0x00020398, 0, 0);
DEFINE_OLEGUID(IID_IMAPIClientShutdown, 0x00020397, 0, 0);
#undef INITGUID
#include "guiddef.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"

/* slot N of a vtable, counting QueryInterface as 0 */
#define check_slot(vtbl, method, slot) \
    ok(offsetof(vtbl, method) == (slot) * sizeof(void *), #vtbl "." #method " is at %Iu, expected slot %u.\n", \
       offsetof(vtbl, method), slot)

static void test_imslogon_layout(void)
{
    /* the order documented for IMSLogon: IUnknown, then these seven */
    check_slot(IMSLogonVtbl, QueryInterface, 0);
    check_slot(IMSLogonVtbl, AddRef, 1);
    check_slot(IMSLogonVtbl, Release, 2);
    check_slot(IMSLogonVtbl, GetLastError, 3);
    check_slot(IMSLogonVtbl, Logoff, 4);
    check_slot(IMSLogonVtbl, OpenEntry, 5);
    check_slot(IMSLogonVtbl, CompareEntryIDs, 6);
    check_slot(IMSLogonVtbl, Advise, 7);
    check_slot(IMSLogonVtbl, Unadvise, 8);
    check_slot(IMSLogonVtbl, OpenStatusEntry, 9);
    ok(sizeof(IMSLogonVtbl) == 10 * sizeof(void *), "IMSLogonVtbl has %Iu bytes.\n", sizeof(IMSLogonVtbl));
}

static void test_imsprovider_layout(void)
{
    check_slot(IMSProviderVtbl, Shutdown, 3);
    check_slot(IMSProviderVtbl, Logon, 4);
    check_slot(IMSProviderVtbl, SpoolerLogon, 5);
    check_slot(IMSProviderVtbl, CompareStoreIDs, 6);
    ok(sizeof(IMSProviderVtbl) == 7 * sizeof(void *), "IMSProviderVtbl has %Iu bytes.\n", sizeof(IMSProviderVtbl));
}

static void test_imapisupport_layout(void)
{
    /* first, middle and last slots of the 42 methods after IUnknown */
    check_slot(IMAPISupportVtbl, GetLastError, 3);
    check_slot(IMAPISupportVtbl, GetMemAllocRoutines, 4);
    check_slot(IMAPISupportVtbl, Subscribe, 5);
    check_slot(IMAPISupportVtbl, MakeInvalid, 12);
    check_slot(IMAPISupportVtbl, SetProviderUID, 16);
    check_slot(IMAPISupportVtbl, OpenEntry, 19);
    check_slot(IMAPISupportVtbl, CopyMessages, 25);
    check_slot(IMAPISupportVtbl, DoCopyTo, 27);
    check_slot(IMAPISupportVtbl, OpenAddressBook, 35);
    check_slot(IMAPISupportVtbl, StoreLogoffTransports, 38);
    check_slot(IMAPISupportVtbl, WrapStoreEntryID, 40);
    check_slot(IMAPISupportVtbl, ModifyProfile, 41);
    check_slot(IMAPISupportVtbl, IStorageFromStream, 42);
    check_slot(IMAPISupportVtbl, GetSvcConfigSupportObj, 43);
    ok(sizeof(IMAPISupportVtbl) == 44 * sizeof(void *), "IMAPISupportVtbl has %Iu bytes.\n", sizeof(IMAPISupportVtbl));
}

static void test_admin_layout(void)
{
    check_slot(IProfAdminVtbl, GetProfileTable, 4);
    check_slot(IProfAdminVtbl, AdminServices, 11);
    check_slot(IMsgServiceAdminVtbl, CreateMsgService, 5);
    check_slot(IMsgServiceAdminVtbl, ConfigureMsgService, 9);
    check_slot(IMsgServiceAdminVtbl, GetProviderTable, 14);
    check_slot(IProviderAdminVtbl, OpenProfileSection, 7);
    /* IProfSect adds nothing to IMAPIProp's 14 slots */
    ok(sizeof(IProfSectVtbl) == 14 * sizeof(void *), "IProfSectVtbl has %Iu bytes.\n", sizeof(IProfSectVtbl));
    check_slot(IProfSectVtbl, GetIDsFromNames, 13);
    check_slot(IMAPIStatusVtbl, ValidateState, 14);
    check_slot(IMAPIStatusVtbl, FlushQueues, 17);
}

static void test_iids(void)
{
    ok(IsEqualGUID(&IID_IMSLogon, &IID_IMSLogon), "IID_IMSLogon differs from itself.\n");
    ok(IID_IMSLogon.Data1 == 0x00020313, "IID_IMSLogon is %s.\n", wine_dbgstr_guid(&IID_IMSLogon));
    ok(IID_IMAPISupport.Data1 == 0x0002030f, "IID_IMAPISupport is %s.\n", wine_dbgstr_guid(&IID_IMAPISupport));
    ok(IsEqualGUID(&IID_IMAPISupport, &IID_IMAPISup), "IID_IMAPISupport is not mapiguid.h's IID_IMAPISup.\n");
    ok(IsEqualGUID(&IID_IMSProvider, &IID_IMSProvider), "IID_IMSProvider.\n");
    ok(IID_IMAPIProviderShutdown.Data1 == 0x00020398, "IID_IMAPIProviderShutdown is %s.\n",
       wine_dbgstr_guid(&IID_IMAPIProviderShutdown));
    ok(CURRENT_SPI_VERSION == 0x00010010, "CURRENT_SPI_VERSION is %#x.\n", CURRENT_SPI_VERSION);
    ok(LOGOFF_ABORT == 8 && LOGOFF_COMPLETE == 0x10000, "LOGOFF_* values are wrong.\n");
}

START_TEST(spi)
{
    test_imslogon_layout();
    test_imsprovider_layout();
    test_imapisupport_layout();
    test_admin_layout();
    test_iids();
}
