using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Screening;
using CoreSubject = Shixin.Core.Entries.EntrySubject;

namespace Shixin.Bench;

/// <summary>What the loader wrote, for the report.</summary>
public sealed record LoadResult(int Entries, int Keys, double Seconds, long DatabaseBytes);

/// <summary>
/// Writes a <see cref="SyntheticList"/> straight into a data directory's SQLite database in the server's schema
/// (migrated by the server's own code first): organizations (hub, courts, the bench unit), API keys, entries with a
/// minimal valid <see cref="EntryState"/> JSON, subject keys and the ledger head. Bulk INSERTs in big transactions with
/// the secondary indexes dropped and rebuilt afterwards (a sort, much faster than random B-tree inserts).
/// </summary>
public static class SqliteLoader
{
    public const string UnitCode = "bench-unit";
    public const string UnitRegion = "440802";

    private static readonly string[] SecondaryIndexes =
    [
        "CREATE INDEX ix_entries_court_status ON entries (court_code, status, id)",
        "CREATE INDEX ix_entries_subject_case ON entries (subject_key, case_number)",
        "CREATE INDEX ix_entries_subject_name ON entries (subject_name)",
        "CREATE INDEX ix_entries_status ON entries (status, published_on)",
        "CREATE INDEX ix_subject_keys_key ON subject_keys (key)",
        .. Shixin.Data.Migrations.ScreeningSnapshotSchema.CreateIndexes(postgres: false),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强", "海燕", "国平"];
    private static readonly (string Code, string Abbrev, string Name)[] Courts =
    [
        ("440802", "粤0802", "湛江市赤坎区人民法院"), ("640104", "宁0104", "银川市兴庆区人民法院"), ("320508", "苏0508", "苏州市姑苏区人民法院"),
        ("411104", "豫1104", "漯河市召陵区人民法院"), ("130126", "冀0126", "灵寿县人民法院"), ("110105", "京0105", "北京市朝阳区人民法院"),
        ("310115", "沪0115", "上海市浦东新区人民法院"), ("330106", "浙0106", "杭州市西湖区人民法院"), ("510107", "川0107", "成都市武侯区人民法院"),
        ("440305", "粤0305", "深圳市南山区人民法院"),
    ];

    /// <summary>Creates (or replaces) <c>shixin.db</c> in <paramref name="dataDir"/>; <paramref name="unitKey"/> gets unit.checker, <paramref name="adminKey"/> hub.admin.</summary>
    public static async Task<LoadResult> LoadAsync(SyntheticList list, string dataDir, string adminKey, string unitKey, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(list);
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, "shixin.db");
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(f);
        }

        SqliteConnection.ClearAllPools();
        var database = ShixinDatabase.SqliteFile(path);
        await database.MigrateAsync();
        SqliteConnection.ClearAllPools();

        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await conn.OpenAsync();
        Exec(conn, "PRAGMA journal_mode=DELETE");
        Exec(conn, "PRAGMA synchronous=OFF");
        Exec(conn, "PRAGMA cache_size=-1000000");
        Exec(conn, "PRAGMA temp_store=MEMORY");
        foreach (var ix in SecondaryIndexes)
        {
            Exec(conn, "DROP INDEX IF EXISTS " + ix.Split(' ')[2]);
        }

        var now = new DateTime(2026, 1, 5, 2, 0, 0, DateTimeKind.Utc);
        using (var tx = conn.BeginTransaction())
        {
            InsertOrganization(conn, tx, "hub", "hub", "公共信用信息中心（Shixin 平台运营方）", "000000", null, now);
            InsertOrganization(conn, tx, "court.hpc", "court", "最高人民法院", "000000", null, now);
            foreach (var c in Courts)
            {
                InsertOrganization(conn, tx, "court." + c.Code, "court", c.Name, c.Code, "court.hpc", now);
            }

            InsertOrganization(conn, tx, UnitCode, "unit", "湛江市某航空售票单位（基准测试）", UnitRegion, null, now);
            InsertKey(conn, tx, "key_bench_admin", "hub", adminKey, "hub.admin,hub.auditor", now);
            InsertKey(conn, tx, "key_bench_unit", UnitCode, unitKey, "unit.checker", now);
            tx.Commit();
        }

        var templates = new StateTemplates();
        const int TxRows = 250_000;
        using (var entry = conn.CreateCommand())
        using (var key = conn.CreateCommand())
        {
            entry.CommandText = """
                INSERT INTO entries (id, no, court_code, case_number, status, subject_kind, subject_key, subject_name, publicity, screened,
                  decided_on, published_on, expires_on, exited_on, version, created_at, updated_at, state_json, unit_view_json)
                VALUES ($id, $no, $court, $case, 'listed', $kind, $key, $name, $pub, 1, $decided, $published, NULL, NULL, 3, $created, $created, $state, $view)
                """;
            var pId = entry.Parameters.Add("$id", SqliteType.Text);
            var pNo = entry.Parameters.Add("$no", SqliteType.Integer);
            var pCourt = entry.Parameters.Add("$court", SqliteType.Text);
            var pCase = entry.Parameters.Add("$case", SqliteType.Text);
            var pKind = entry.Parameters.Add("$kind", SqliteType.Text);
            var pKey = entry.Parameters.Add("$key", SqliteType.Text);
            var pName = entry.Parameters.Add("$name", SqliteType.Text);
            var pPub = entry.Parameters.Add("$pub", SqliteType.Text);
            var pDecided = entry.Parameters.Add("$decided", SqliteType.Text);
            var pPublished = entry.Parameters.Add("$published", SqliteType.Text);
            var pCreated = entry.Parameters.Add("$created", SqliteType.Text);
            var pState = entry.Parameters.Add("$state", SqliteType.Text);
            var pView = entry.Parameters.Add("$view", SqliteType.Text);
            key.CommandText = "INSERT INTO subject_keys (entry_no, key, role, via_document) VALUES ($no, $key, $role, $via)";
            var kNo = key.Parameters.Add("$no", SqliteType.Integer);
            var kKey = key.Parameters.Add("$key", SqliteType.Text);
            var kRole = key.Parameters.Add("$role", SqliteType.Text);
            var kVia = key.Parameters.Add("$via", SqliteType.Integer);

            SqliteTransaction? tx = null;
            for (int i = 0; i < list.EntryCount; i++)
            {
                if (i % TxRows == 0)
                {
                    tx?.Commit();
                    tx?.Dispose();
                    tx = conn.BeginTransaction();
                    entry.Transaction = tx;
                    key.Transaction = tx;
                    if (i == 0)
                    {
                        entry.Prepare();
                        key.Prepare();
                    }
                    else if (i % 2_000_000 == 0)
                    {
                        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  sqlite: {i:N0} entries ({watch.Elapsed.TotalSeconds:F0} s)"));
                    }
                }

                long no = SyntheticList.EntryNo(i);
                var court = Courts[i % Courts.Length];
                int year = 2019 + (i % 6);
                var decided = new DateOnly(year, 1 + (i % 12), 1 + (i % 28));
                var keys = list.KeysOf(i);
                var debtorText = SyntheticList.KeyText(keys[0]);
                bool org = list.KindOf(i) == DebtorKind.Organization;
                string name = org
                    ? court.Name[..2] + "某" + Given[i % Given.Length] + "有限公司" + (i % 997).ToString(CultureInfo.InvariantCulture)
                    : Surnames[i % Surnames.Length] + Given[(i / Surnames.Length) % Given.Length];
                string caseNumber = string.Create(CultureInfo.InvariantCulture, $"（{year - 1}）{court.Abbrev}执{1 + (i / Courts.Length % 99_999)}号");
                string guid = string.Create(CultureInfo.InvariantCulture, $"{no:X8}-B000-7000-8000-{(uint)list.Shape.Seed:X12}");
                string legalRep = org && keys.Length > 1 ? SyntheticList.Raw(keys[1]) : "";
                pId.Value = guid;
                pNo.Value = no;
                pCourt.Value = "court." + court.Code;
                pCase.Value = caseNumber;
                pKind.Value = org ? "organization" : "person";
                pKey.Value = debtorText;
                pName.Value = name;
                pPub.Value = i % 100 == 7 ? "restricted" : "public";
                pDecided.Value = decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                pPublished.Value = decided.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                pCreated.Value = now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                pState.Value = templates.Fill(keys[0].Kind, guid.ToLowerInvariant(), "court." + court.Code, caseNumber, name, SyntheticList.Raw(keys[0]), legalRep,
                    decided, (string)pPub.Value);
                pView.Value = templates.FillView(keys[0].Kind, guid.ToLowerInvariant(), "court." + court.Code, caseNumber, name, SyntheticList.Raw(keys[0]), legalRep,
                    decided, (string)pPub.Value);
                entry.ExecuteNonQuery();

                int k0 = list.KeyStarts[i];
                for (int k = k0; k < list.KeyStarts[i + 1]; k++)
                {
                    kNo.Value = no;
                    kKey.Value = SyntheticList.KeyText(list.KeyAt(k));
                    kRole.Value = RoleName(list.RoleAt(k));
                    kVia.Value = list.ViaAt(k) ? 1 : 0;
                    try
                    {
                        key.ExecuteNonQuery();
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                    {
                        // The same person drawn twice for one entry (vanishingly rare): the key is already there.
                    }
                }
            }

            tx?.Commit();
            tx?.Dispose();
        }

        using (var tx = conn.BeginTransaction())
        {
            using var head = conn.CreateCommand();
            head.Transaction = tx;
            head.CommandText = "UPDATE ledger_head SET seq = $n, entries = $n WHERE id = 1";
            head.Parameters.AddWithValue("$n", (long)list.EntryCount);
            head.ExecuteNonQuery();
            tx.Commit();
        }

        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  sqlite: rows in ({watch.Elapsed.TotalSeconds:F0} s); building indexes"));
        foreach (var ix in SecondaryIndexes)
        {
            Exec(conn, ix);
        }

        Exec(conn, "ANALYZE");
        Exec(conn, "PRAGMA journal_mode=WAL");
        await conn.CloseAsync();
        SqliteConnection.ClearAllPools();
        return new LoadResult(list.EntryCount, list.KeyCount, watch.Elapsed.TotalSeconds, new FileInfo(path).Length);
    }

    public static string RoleName(SubjectRole role) => role switch
    {
        SubjectRole.Debtor => RelatedRoles.Debtor,
        SubjectRole.LegalRepresentative => RelatedRoles.LegalRepresentative,
        SubjectRole.Principal => RelatedRoles.Principal,
        SubjectRole.ActualController => RelatedRoles.ActualController,
        SubjectRole.ResponsiblePerson => RelatedRoles.ResponsiblePerson,
        SubjectRole.Director => RelatedRoles.Director,
        SubjectRole.Supervisor => RelatedRoles.Supervisor,
        _ => RelatedRoles.SeniorManager,
    };

    private static void Exec(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        cmd.ExecuteNonQuery();
    }

    private static void InsertOrganization(SqliteConnection conn, SqliteTransaction tx, string code, string kind, string name, string region, string? parent, DateTime at)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO organizations (code, kind, name, region, parent_code, created_at) VALUES ($c, $k, $n, $r, $p, $at)";
        cmd.Parameters.AddWithValue("$c", code);
        cmd.Parameters.AddWithValue("$k", kind);
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$r", region);
        cmd.Parameters.AddWithValue("$p", (object?)parent ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        cmd.ExecuteNonQuery();
    }

    private static void InsertKey(SqliteConnection conn, SqliteTransaction tx, string id, string org, string key, string roles, DateTime at)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO api_keys (id, organization_code, key_hash, roles, created_at, revoked_at) VALUES ($i, $o, $h, $r, $at, NULL)";
        cmd.Parameters.AddWithValue("$i", id);
        cmd.Parameters.AddWithValue("$o", org);
        cmd.Parameters.AddWithValue("$h", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))));
        cmd.Parameters.AddWithValue("$r", roles);
        cmd.Parameters.AddWithValue("$at", at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Minimal valid <see cref="EntryState"/> JSON (as <see cref="LedgerJson"/> writes it), one template per debtor kind
    /// serialised once with marker values that are replaced per row.
    /// </summary>
    private sealed class StateTemplates
    {
        private const string IdMark = "00000000-0000-0000-0000-0000000000aa";
        private const string CourtMark = "@COURT@";
        private const string CaseMark = "@CASE@";
        private const string NameMark = "@NAME@";
        private const string KeyMark = "@KEY@";
        private const string LrMark = "@LR@";
        private const string DecidedMark = "1999-01-01";
        private const string PublishedMark = "1999-01-11";
        private const string PublicityMark = "@PUB@";
        private readonly Dictionary<SubjectKind, string> _byKind = [];
        private readonly Dictionary<(SubjectKind, string), string> _views = [];

        public StateTemplates()
        {
            foreach (var kind in new[] { SubjectKind.ResidentId, SubjectKind.CreditCode, SubjectKind.OrganizationCode, SubjectKind.Passport })
            {
                var subject = kind switch
                {
                    SubjectKind.CreditCode => new CoreSubject { Kind = "organization", Name = NameMark, CreditCode = KeyMark, LegalRepresentative = new PersonRef("@LRNAME@", LrMark) },
                    SubjectKind.OrganizationCode => new CoreSubject { Kind = "organization", Name = NameMark, OrganizationCode = KeyMark, LegalRepresentative = new PersonRef("@LRNAME@", LrMark) },
                    _ => new CoreSubject { Kind = "person", Name = NameMark, IdNumber = KeyMark },
                };
                var state = new EntryState
                {
                    Id = Guid.Parse(IdMark),
                    CourtCode = CourtMark,
                    CaseNumber = CaseMark,
                    FilingDate = DateOnly.Parse(DecidedMark, CultureInfo.InvariantCulture),
                    BasisDocument = new BasisDocument("（2018）民初1号", "人民法院"),
                    Obligation = "支付欠款及利息",
                    Performance = new Performance(0m, 100_000m),
                    Circumstances = ImmutableArray.Create(Circumstances.CapableButRefuses),
                    Subject = subject,
                    Publicity = PublicityMark,
                    Status = EntryStatus.Listed,
                    DecidedOn = DateOnly.Parse(DecidedMark, CultureInfo.InvariantCulture),
                    PublishedOn = DateOnly.Parse(PublishedMark, CultureInfo.InvariantCulture),
                    IsPublished = true,
                    Version = 3,
                };
                // Minimal: properties at their default (null, empty list) are left out; the server reads it back the same.
                var node = System.Text.Json.Nodes.JsonNode.Parse(LedgerJson.WriteState(state))!.AsObject();
                Prune(node);
                var json = node.ToJsonString(LedgerJson.Options).Replace("@LRNAME@", "法定代表人", StringComparison.Ordinal);
                LedgerJson.ReadState(json);
                _byKind[kind] = json;
                foreach (var publicity in new[] { "public", "restricted" })
                {
                    // The unit view (the feed's and snapshot's form of the entry), as the server writes it.
                    _views[(kind, publicity)] = LedgerJson.WriteUnitView(state with { Publicity = publicity }).Replace("@LRNAME@", "法定代表人", StringComparison.Ordinal);
                }
            }
        }

        private static void Prune(System.Text.Json.Nodes.JsonObject o)
        {
            foreach (var p in o.ToList())
            {
                if (p.Value is null || (p.Value is System.Text.Json.Nodes.JsonArray { Count: 0 }))
                {
                    o.Remove(p.Key);
                }
                else if (p.Value is System.Text.Json.Nodes.JsonObject child)
                {
                    Prune(child);
                }
            }
        }

        public string FillView(SubjectKind kind, string id, string court, string caseNumber, string name, string key, string legalRep, DateOnly decided, string publicity) =>
            Replace(_views[(kind, publicity)], id, court, caseNumber, name, key, legalRep, decided, publicity);

        public string Fill(SubjectKind kind, string id, string court, string caseNumber, string name, string key, string legalRep, DateOnly decided, string publicity) =>
            Replace(_byKind[kind], id, court, caseNumber, name, key, legalRep, decided, publicity);

        private static string Replace(string template, string id, string court, string caseNumber, string name, string key, string legalRep, DateOnly decided, string publicity)
        {
            var d = decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var p = decided.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return template.Replace(IdMark, id, StringComparison.Ordinal).Replace(CourtMark, court, StringComparison.Ordinal)
                .Replace(CaseMark, caseNumber, StringComparison.Ordinal).Replace(NameMark, name, StringComparison.Ordinal)
                .Replace(KeyMark, key, StringComparison.Ordinal).Replace(LrMark, legalRep, StringComparison.Ordinal)
                .Replace(DecidedMark, d, StringComparison.Ordinal).Replace(PublishedMark, p, StringComparison.Ordinal)
                .Replace(PublicityMark, publicity, StringComparison.Ordinal);
        }
    }
}
