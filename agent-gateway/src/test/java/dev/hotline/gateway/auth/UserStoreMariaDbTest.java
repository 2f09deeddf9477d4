package dev.hotline.gateway.auth;

class UserStoreMariaDbTest extends UserStoreContract {

    @Override
    boolean mariaDb() {
        return true;
    }
}
