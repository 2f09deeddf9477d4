package dev.hotline.gateway.auth;

class UserStoreH2Test extends UserStoreContract {

    @Override
    boolean mariaDb() {
        return false;
    }
}
