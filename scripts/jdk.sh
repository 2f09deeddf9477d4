# Sourced by ./hotline, ./run-tests and .ci/run: finds a JDK >= 21 and exports JAVA_HOME and PATH for it.
# Looks at $JAVA_HOME, then the `java` on PATH, then every JDK under /usr/lib/jvm (newest first).

hotline_java_major() {
    # Prints the major version of the java binary $1 (e.g. 17, 21, 25), or nothing if it cannot run.
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^[[:space:]]*java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

hotline_find_jdk() {
    local min=21 candidates=() seen="" c home major
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        c="$(readlink -f "$(command -v java)")"
        candidates+=("${c%/bin/java}")
    fi
    if [ -d /usr/lib/jvm ]; then
        while IFS= read -r c; do candidates+=("$c"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
    fi
    for home in "${candidates[@]}"; do
        case " $seen " in *" $home "*) continue ;; esac
        seen="$seen $home"
        [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
        major="$(hotline_java_major "$home/bin/java")"
        if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
            export JAVA_HOME="$home"
            export PATH="$home/bin:$PATH"
            return 0
        fi
    done
    local found=""
    if command -v java >/dev/null 2>&1; then
        found=" (found: Java $(hotline_java_major "$(command -v java)") at $(command -v java))"
    fi
    echo "hotline: needs a JDK 21 or newer$found; install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
    return 1
}

hotline_need_maven() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "hotline: needs Apache Maven 3.8 or newer to build; install it (e.g. 'apt-get install maven')." >&2
        return 1
    fi
    # Maven itself on a new JDK warns about sun.misc.Unsafe; that is Maven's business, not the user's.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}
