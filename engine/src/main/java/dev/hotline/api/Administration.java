package dev.hotline.api;

import dev.hotline.directory.Directory;
import dev.hotline.ivr.calendar.DatabaseCalendars;
import dev.hotline.ivr.runtime.IvrRepository;

import java.util.Optional;

/** What administrators change: the directory, business calendars, IVR scripts; and where the users are kept. */
public interface Administration {

    /** Agents, queues and skills, live (files as the base, database rows over them); empty before start. */
    Optional<Directory> directory();

    /** The calendars kept in the database, laid over the calendar files; empty without a database. */
    Optional<DatabaseCalendars> calendars();

    /** The IVR scripts, published and hot-reloaded; empty before start. */
    Optional<IvrRepository> ivr();

    /** The database the gateway keeps its users in; empty when the engine keeps no records. */
    Optional<UserStorage> userStorage();
}
