import PostgresNIO
import RecordStore
import RecordStorePostgres
import Testing

@Suite("PostgreSQL URLs are read as libpq reads them")
struct PostgresURLTests {
    @Test("a TCP URL gives host, port, user, percent-decoded password and database, with TLS off")
    func tcp() throws {
        let url = try PostgresURL("postgres://contrail:p%40ss%3Aw%2Fd%25@db.example.com:6543/analytics")
        #expect(url.endpoint == .tcp(host: "db.example.com", port: 6543))
        #expect(url.username == "contrail")
        #expect(url.password == "p@ss:w/d%")
        #expect(url.database == "analytics")
        #expect(url.tls == .disable)
        #expect(url.clientConfiguration.host == "db.example.com")
        #expect(url.clientConfiguration.port == 6543)
    }

    @Test("postgresql:// works too, the port defaults to 5432 and sslmode=require requires TLS")
    func defaults() throws {
        let url = try PostgresURL("postgresql://user%20name:pw@10.0.0.7/db%2Fname?sslmode=require")
        #expect(url.endpoint == .tcp(host: "10.0.0.7", port: 5432))
        #expect(url.username == "user name")
        #expect(url.database == "db/name")
        #expect(url.tls == .require)
        #expect(try PostgresURL("postgres://u@[::1]:5433/db").endpoint == .tcp(host: "::1", port: 5433))
        #expect(try PostgresURL("postgres://u@h/db").password == nil)
        #expect(try PostgresURL("postgres://u:@h/db").password == "")
    }

    @Test("Cloud SQL's unix-socket forms name the socket file in the given directory")
    func unixSocket() throws {
        let url = try PostgresURL("postgres://app:secret@/events?host=/cloudsql/my-project:europe-west1:main")
        #expect(url.endpoint == .unixSocket(path: "/cloudsql/my-project:europe-west1:main/.s.PGSQL.5432"))
        #expect(url.database == "events")
        #expect(url.password == "secret")
        #expect(url.clientConfiguration.unixSocketPath == "/cloudsql/my-project:europe-west1:main/.s.PGSQL.5432")
        let encoded = try PostgresURL("postgres://app:secret@%2Fcloudsql%2Fp%3Ar%3Ai/events")
        #expect(encoded.endpoint == .unixSocket(path: "/cloudsql/p:r:i/.s.PGSQL.5432"))
        let port = try PostgresURL("postgres://app@/events?host=/tmp/&port=6000")
        #expect(port.endpoint == .unixSocket(path: "/tmp/.s.PGSQL.6000"))
    }

    @Test(
        "a bad URL is an invalidConfiguration error naming what is wrong, never the password",
        arguments: [
            ("mysql://u:hunter2xyz@h/db", "postgres://"),
            ("postgres://hunter2xyz@h:notaport/db", "port"),
            ("postgres://h/db", "user"),
            ("postgres://u:hunter2xyz@/db", "host"),
            ("postgres://u:hunter2xyz@h/db?sslmode=sometimes", "sslmode"),
            ("postgres://u:hunter2xyz@h/db?application=x", "application"),
            ("postgres://u:hunter2xyz%zz@h/db", "password"),
            ("postgres://u:hunter2xyz@/db?host=/cloudsql/p:r:i&sslmode=require", "socket"),
        ]
    )
    func invalid(text: String, named: String) {
        let error = #expect(throws: StoreError.self) { try PostgresURL(text) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains(named) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("hunter2xyz") == false)
        let fromStore = #expect(throws: StoreError.self) {
            try PostgresRecordStore(url: text, logger: TestPostgres.logger)
        }
        #expect(fromStore?.code == .invalidConfiguration)
    }

    @Test("DATABASE_POOL_SIZE sets the pool's connection limit; unset, postgres-nio's default stays")
    func poolSize() throws {
        var url = try PostgresURL("postgres://app:secret@/events?host=/cloudsql/p:r:i")
        let libraryDefault = PostgresClient.Configuration.Options().maximumConnections
        #expect(url.poolSize == nil)
        #expect(url.clientConfiguration.options.maximumConnections == libraryDefault)
        url.poolSize = try PostgresURL.poolSize("3")
        #expect(url.clientConfiguration.options.maximumConnections == 3)
        #expect(PostgresRecordStore(url: url, logger: TestPostgres.logger).connectionLimit == 3)
        #expect(try PostgresURL.poolSize("1") == 1)
        #expect(try PostgresURL.poolSize("\(PostgresURL.maximumPoolSize)") == PostgresURL.maximumPoolSize)
    }

    @Test(
        "a pool size that is not a whole number from 1 to the maximum is refused, naming the variable",
        arguments: ["0", "-2", "ten", "2.5", " 4", "", "1001"]
    )
    func invalidPoolSize(text: String) {
        let error = #expect(throws: StoreError.self) { try PostgresURL.poolSize(text) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("DATABASE_POOL_SIZE") == true, "\(error?.message ?? "")")
    }

    @Test("the description names the endpoint and user but not the password")
    func description() throws {
        let url = try PostgresURL("postgres://app:hunter2xyz@db:5432/events")
        #expect("\(url)" == #"database "events" at db:5432 as user "app""#)
    }
}
