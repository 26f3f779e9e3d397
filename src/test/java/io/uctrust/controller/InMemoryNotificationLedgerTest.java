package io.uctrust.controller;

/** {@link InMemoryNotificationLedger} keeps the {@link NotificationLedgerContract} among the threads of one process. */
class InMemoryNotificationLedgerTest extends NotificationLedgerContract {
  @Override
  NotificationLedger newLedger() {
    return new InMemoryNotificationLedger();
  }

  @Override
  NotificationLedger sameLedgerElsewhere(String instance) {
    return ledger;
  }
}
