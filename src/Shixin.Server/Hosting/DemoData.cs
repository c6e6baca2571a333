using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Core.Identifiers;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Ops;

namespace Shixin.Server.Hosting;

/// <summary>
/// Fills an empty database with realistic, fictitious demo data (--demo): the courts of the seed regions with
/// their higher courts, one unit per measure category, a few hundred entries in every state, and known keys.
/// </summary>
/// <remarks>
/// Every entry goes through the real state machine in one ledger transaction, so history, duties and list
/// sequences are exactly what the API would have produced. Names, ID numbers and credit codes are generated
/// (valid check digits, deterministic seed) and belong to nobody.
/// </remarks>
public sealed class DemoData(
    ShixinOptions options,
    ShixinDatabase database,
    LegalEntryRules rules,
    ApiKeys keys,
    LedgerSignal signal,
    ShixinMetrics metrics,
    TimeProvider time,
    DemoOversight oversight,
    DemoInvestigations investigations,
    ILogger<DemoData> logger)
{
    public const string KeysFileName = "demo-keys.txt";
    public const int EntryCount = 300;
    private const int Seed = 20_170_701;

    /// <summary>A court of the seed regions. Case numbers carry the province abbreviation and the court's digits.</summary>
    public sealed record DemoCourt(string Code, string Name, string Region, string? Parent, string CaseCode, string[] CompanyPrefixes, int Weight);

    /// <summary>A unit applying measures of one catalog category.</summary>
    public sealed record DemoUnit(string Code, string Name, string Region, string Category, string Use);

    /// <summary>One demo key as the keys file lists it.</summary>
    public sealed record DemoKey(string Key, string Organization, string Kind, string Name, string[] Roles, string Use);

    public static readonly ImmutableArray<DemoCourt> Courts =
    [
        new("gd-high", "广东省高级人民法院", "440000", null, "粤", [], 0),
        new("gd-zj", "广东省湛江市中级人民法院", "440800", "gd-high", "粤08", ["湛江市", "广东"], 3),
        new("gd-zj-chikan", "湛江市赤坎区人民法院", "440802", "gd-zj", "粤0802", ["湛江市", "湛江市赤坎区"], 14),
        new("gd-zj-xiashan", "湛江市霞山区人民法院", "440803", "gd-zj", "粤0803", ["湛江市", "湛江市霞山区"], 10),
        new("gd-zj-suixi", "遂溪县人民法院", "440823", "gd-zj", "粤0823", ["遂溪县", "湛江市"], 8),
        new("nx-high", "宁夏回族自治区高级人民法院", "640000", null, "宁", [], 0),
        new("nx-yc", "宁夏回族自治区银川市中级人民法院", "640100", "nx-high", "宁01", ["宁夏", "银川市"], 2),
        new("nx-yc-xingqing", "银川市兴庆区人民法院", "640104", "nx-yc", "宁0104", ["银川市", "宁夏"], 9),
        new("nx-yc-jinfeng", "银川市金凤区人民法院", "640106", "nx-yc", "宁0106", ["银川市", "宁夏"], 7),
        new("js-high", "江苏省高级人民法院", "320000", null, "苏", [], 0),
        new("js-sz", "江苏省苏州市中级人民法院", "320500", "js-high", "苏05", ["苏州", "江苏"], 3),
        new("js-sz-gusu", "苏州市姑苏区人民法院", "320508", "js-sz", "苏0508", ["苏州市", "苏州"], 10),
        new("js-sz-wuzhong", "苏州市吴中区人民法院", "320506", "js-sz", "苏0506", ["苏州市吴中区", "苏州"], 9),
        new("ha-high", "河南省高级人民法院", "410000", null, "豫", [], 0),
        new("ha-lh", "河南省漯河市中级人民法院", "411100", "ha-high", "豫11", ["漯河市", "河南"], 2),
        new("ha-lh-zhaoling", "漯河市召陵区人民法院", "411104", "ha-lh", "豫1104", ["漯河市", "漯河市召陵区"], 9),
        new("ha-lh-yuanhui", "漯河市源汇区人民法院", "411102", "ha-lh", "豫1102", ["漯河市", "漯河"], 7),
        new("he-high", "河北省高级人民法院", "130000", null, "冀", [], 0),
        new("he-sjz", "河北省石家庄市中级人民法院", "130100", "he-high", "冀01", ["石家庄市", "河北"], 2),
        new("he-sjz-lingshou", "灵寿县人民法院", "130126", "he-sjz", "冀0126", ["灵寿县", "石家庄市"], 8),
    ];

    public static readonly ImmutableArray<DemoUnit> Units =
    [
        new("unit-travelsky", "中国民航信息网络股份有限公司", "110000", "high-consumption", "机票销售（civil-aviation.ticket）"),
        new("unit-cr-guangzhou", "中国铁路广州局集团有限公司", "440000", "high-consumption", "火车票销售（rail.*）"),
        new("unit-csair", "中国南方航空股份有限公司", "440000", "high-consumption", "航空公司值机（civil-aviation.ticket）"),
        new("unit-jinjiang-hotels", "锦江酒店（中国区）", "310000", "high-consumption", "星级宾馆住宿登记（hotel.star-rated-stay）"),
        new("unit-zj-ggzy", "湛江市公共资源交易中心", "440800", "specific-industries", "政府采购、工程招投标"),
        new("unit-sz-finance", "苏州市财政局", "320500", "government-support", "财政补贴、政策支持"),
        new("unit-nx-hrss", "宁夏回族自治区人力资源和社会保障厅", "640000", "office-qualification", "公务员录用"),
        new("unit-zj-customs", "湛江海关", "440800", "market-access", "海关认证企业"),
        new("unit-bank-suzhou", "苏州银行股份有限公司", "320500", "honours-and-credit", "融资授信审批（bank.credit-approval）"),
        new("unit-ls-nrp", "灵寿县自然资源和规划局", "130126", "special-transactions", "不动产、土地交易"),
        new("unit-nx-exit", "宁夏回族自治区公安厅出入境管理局", "640000", "assistance-and-exit", "限制出境（border.exit-control）"),
        new("unit-zl-amr", "漯河市召陵区市场监督管理局", "411104", "routine-supervision", "双随机抽查、注销登记"),
        new("unit-lh-psb", "漯河市公安局", "411100", "criminal", "拒执罪线索（public-security.refusal-to-execute-case）"),
        new("unit-ls-credit", "灵寿县社会信用体系建设领导小组办公室", "130126", "other", "其他单位使用名单（general.credit-use）"),
        new("unit-zj-bank", "湛江农村商业银行股份有限公司", "440800", AssistCategory, "协助查询、冻结、扣划存款（执行查控）"),
        new("unit-zj-nrp", "湛江市自然资源局", "440800", AssistCategory, "协助查询、查封不动产（执行查控）"),
    ];

    /// <summary>Units that answer courts' investigations and controls (unit.assist) rather than check the list.</summary>
    public const string AssistCategory = "assist";

    /// <summary>Keys of the demo, deterministic so the README can show them.</summary>
    public static ImmutableArray<DemoKey> Keys { get; } = BuildKeys();

    /// <summary>The demo's main court (赤坎区): full, clerk-only and judge-only keys.</summary>
    public const string MainCourt = "gd-zj-chikan";

    public static string CourtKey(string code) => "demo-" + code + "-court";

    public static string UnitKey(string code) => "demo-" + code + "-unit";

    public async Task LoadIfEmptyAsync(CancellationToken ct)
    {
        var keysPath = Path.Combine(options.DataDirectory, KeysFileName);
        await using (var db = database.CreateContext())
        {
            if (await db.Entries.AnyAsync(ct))
            {
                Console.WriteLine("Demo: the list already has entries; nothing loaded." + (File.Exists(keysPath) ? " Demo keys: " + keysPath : ""));
                return;
            }
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var today = ChinaTime.Today(time);
        long head;
        Dictionary<string, int> byStatus;
        await using (var session = await LedgerSession.BeginAsync(database, time, ct))
        {
            var keyIds = await RegisterOrganizationsAsync(session.Db, ct);
            var builder = new Builder(session, rules, today, keyIds);
            byStatus = await builder.RunAsync(ct);
            Audit.Stage(session.Db, new Caller("system", StartupTasks.HubCode, "hub", "000000", null, [Roles.HubAdmin]),
                "demo.load", "ledger", EntryCount.ToString(CultureInfo.InvariantCulture) + " entries", time);
            await session.CommitAsync(ct);
            head = session.Head;
        }

        signal.Notify(head);
        metrics.LedgerCommitted(head);
        await oversight.LoadAsync(ct);
        await investigations.LoadAsync(ct);
        await WriteKeysFileAsync(keysPath, ct);
        logger.LogInformation("Demo data loaded in {Ms} ms", started.ElapsedMilliseconds);
        PrintSummary(byStatus, keysPath);
    }

    private async Task<Dictionary<string, string>> RegisterOrganizationsAsync(ShixinDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var existing = (await db.Organizations.AsNoTracking().Select(o => o.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var c in Courts.Where(c => !existing.Contains(c.Code)))
        {
            db.Organizations.Add(new OrganizationRow { Code = c.Code, Kind = "court", Name = c.Name, Region = c.Region, ParentCode = c.Parent, CreatedAt = now });
        }

        foreach (var u in Units.Where(u => !existing.Contains(u.Code)))
        {
            db.Organizations.Add(new OrganizationRow { Code = u.Code, Kind = "unit", Name = u.Name, Region = u.Region, CreatedAt = now });
        }

        await db.SaveChangesAsync(ct);

        // Key id per court key, so the ledger names the key that acted.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashes = (await db.ApiKeys.AsNoTracking().Select(k => k.KeyHash).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var k in Keys)
        {
            if (hashes.Contains(ApiKeys.Hash(k.Key)))
            {
                continue;
            }

            var (id, _) = await keys.IssueAsync(db, k.Organization, k.Roles, k.Key, ct);
            if (string.Equals(k.Key, CourtKey(k.Organization), StringComparison.Ordinal))
            {
                ids[k.Organization] = id;
            }
        }

        return ids;
    }

    private static ImmutableArray<DemoKey> BuildKeys()
    {
        var list = new List<DemoKey>();
        foreach (var c in Courts)
        {
            var use = c.Parent is null ? "高级法院：审查下级法院纠正申请的复议" : c.Weight <= 3 ? "中级法院：执行案件；复议基层法院的纠正申请" : "基层法院：拟定、决定、退出名单";
            list.Add(new DemoKey(CourtKey(c.Code), c.Code, "court", c.Name, [Roles.CourtClerk, Roles.CourtJudge], use));
            if (string.Equals(c.Code, MainCourt, StringComparison.Ordinal))
            {
                list.Add(new DemoKey("demo-" + c.Code + "-clerk", c.Code, "court", c.Name, [Roles.CourtClerk], "书记员：只能拟定、送达风险提示"));
                list.Add(new DemoKey("demo-" + c.Code + "-judge", c.Code, "court", c.Name, [Roles.CourtJudge], "法官：决定纳入、退出、审查纠正"));
            }
        }

        foreach (var u in Units)
        {
            list.Add(new DemoKey(UnitKey(u.Code), u.Code, "unit", u.Name,
                string.Equals(u.Category, AssistCategory, StringComparison.Ordinal) ? [Roles.UnitAssist] : [Roles.UnitChecker, Roles.UnitFeedback, Roles.UnitSubscriber],
                u.Category + "：" + u.Use));
        }

        return [.. list];
    }

    private async Task WriteKeysFileAsync(string path, CancellationToken ct)
    {
        var sb = new StringBuilder();
        sb.Append("# Shixin demo keys (fictitious demo data; these keys are public, never use --demo in production)\n");
        sb.Append("# Use: curl -H 'Authorization: Bearer <key>' ...   The hub administrator key is in admin.key.\n");
        sb.Append("# key\troles\torganization\tkind\tname\tuse\n");
        foreach (var k in Keys)
        {
            sb.Append(k.Key).Append('\t').Append(string.Join(',', k.Roles)).Append('\t').Append(k.Organization).Append('\t')
                .Append(k.Kind).Append('\t').Append(k.Name).Append('\t').Append(k.Use).Append('\n');
        }

        Directory.CreateDirectory(options.DataDirectory);
        await File.WriteAllTextAsync(path, sb.ToString(), new UTF8Encoding(false), ct);
    }

    private static void PrintSummary(Dictionary<string, int> byStatus, string keysPath)
    {
        var total = byStatus.Values.Sum();
        var statuses = string.Join(", ", Enum.GetValues<EntryStatus>().Select(s => s.ToApi())
            .Select(s => s + " " + byStatus.GetValueOrDefault(s).ToString(CultureInfo.InvariantCulture)));
        var chikan = Courts.Single(c => string.Equals(c.Code, MainCourt, StringComparison.Ordinal));
        Console.WriteLine();
        Console.WriteLine("Demo data loaded (fictitious): " + total.ToString(CultureInfo.InvariantCulture) + " entries in "
            + Courts.Count(c => c.Weight > 0).ToString(CultureInfo.InvariantCulture) + " courts: " + statuses + ".");
        Console.WriteLine("Demo keys (public; all " + Keys.Length.ToString(CultureInfo.InvariantCulture) + " in " + keysPath + "):");
        Row("court clerk+judge", CourtKey(MainCourt), chikan.Name + " — list, decide, correct, revoke");
        Row("court clerk only", "demo-" + MainCourt + "-clerk", chikan.Name + " — draft, serve risk notices");
        Row("court judge only", "demo-" + MainCourt + "-judge", chikan.Name + " — decide, exit, rule on corrections");
        Row("higher court", CourtKey("gd-zj"), "广东省湛江市中级人民法院 — a reconsideration awaits its ruling");
        Row("unit (airline)", UnitKey("unit-travelsky"), "中国民航信息网络股份有限公司 — high-consumption");
        Row("unit (bank)", UnitKey("unit-bank-suzhou"), "苏州银行股份有限公司 — honours-and-credit");
        Row("assisting bank", UnitKey("unit-zj-bank"), "湛江农村商业银行股份有限公司 — answers investigations and controls");
        Row("every court", "demo-<court code>-court", "e.g. demo-nx-yc-xingqing-court (20 courts)");
        Row("every unit", "demo-<unit code>-unit", "e.g. demo-unit-zj-ggzy-unit (14 units, one per measure category; 2 assisting units)");

        static void Row(string what, string key, string who) => Console.WriteLine("  " + what.PadRight(19) + key.PadRight(28) + who);
    }

    /// <summary>What happens to one demo entry.</summary>
    private enum Fate
    {
        Draft,
        Noticed,
        Listed,
        ListedRestricted,
        ListedGrace,
        ListedExtended,
        ListedPartlyPerformed,
        ListedFullyPerformedOverdue,
        ListedFullyPerformedToday,
        CorrectionOpen,
        CorrectionOverdue,
        CorrectionRejected,
        ReconsiderationPending,
        ReconsiderationRejected,
        CorrectionAccepted,
        ShieldedPerformed,
        ShieldedSettlement,
        ShieldedGuarantee,
        ShieldedTerminated,
        RevokedWrongly,
        DeletedPerformed,
        DeletedApplicantRequest,
        DeletedNoProperty,
        DeletedTermExpired,
        DeletedEarly,
        DeletedSuspended,
        Expired,
    }

    /// <summary>Builds the entries; one instance per load, all randomness from one seed.</summary>
    private sealed class Builder(LedgerSession session, LegalEntryRules rules, DateOnly today, Dictionary<string, string> keyIds)
    {
        private static readonly (Fate Fate, int Count)[] Plan =
        [
            (Fate.Draft, 14), (Fate.Noticed, 16), (Fate.Listed, 161), (Fate.ListedRestricted, 12), (Fate.ListedGrace, 8),
            (Fate.ListedExtended, 4), (Fate.ListedPartlyPerformed, 10), (Fate.ListedFullyPerformedOverdue, 1), (Fate.ListedFullyPerformedToday, 1),
            (Fate.CorrectionOpen, 2), (Fate.CorrectionOverdue, 1), (Fate.CorrectionRejected, 3), (Fate.ReconsiderationPending, 1),
            (Fate.ReconsiderationRejected, 1), (Fate.CorrectionAccepted, 3),
            (Fate.ShieldedPerformed, 12), (Fate.ShieldedSettlement, 6), (Fate.ShieldedGuarantee, 3), (Fate.ShieldedTerminated, 3),
            (Fate.RevokedWrongly, 6),
            (Fate.DeletedPerformed, 8), (Fate.DeletedApplicantRequest, 3), (Fate.DeletedNoProperty, 3), (Fate.DeletedTermExpired, 8),
            (Fate.DeletedEarly, 2), (Fate.DeletedSuspended, 2),
            (Fate.Expired, 6),
        ];

        private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤";
        private const string MaleGiven = "伟强磊军洋勇杰涛明超刚建国文辉鹏斌宇浩凯健俊帆旭宁龙林亮成飞彬峰海波志鑫晨春德福永兴荣庆华平东振光";
        private const string FemaleGiven = "芳娜敏静丽艳娟秀霞桂英华玉兰萍红梅琳燕慧婷雪倩玲丹佳颖洁琴云莉凤萍晓欣悦";
        private const string TradeChars = "鑫恒盛华隆达源信泰丰利通宏远广安嘉裕德永昌兴联创佳博润祥瑞海金顺锦汇众诚荣旺";

        private static readonly string[] Industries =
        [
            "贸易", "商贸", "建筑工程", "房地产开发", "水产养殖", "物流", "机械设备", "食品", "装饰工程", "农业科技",
            "电子科技", "纺织", "餐饮管理", "投资管理", "汽车销售", "建材", "网络科技", "生物科技",
        ];

        private static readonly (string Cause, string Obligation)[] Obligations =
        [
            ("买卖合同纠纷", "支付货款人民币{0}元及利息"),
            ("民间借贷纠纷", "偿还借款本金人民币{0}元及逾期利息"),
            ("建设工程施工合同纠纷", "支付工程款人民币{0}元及违约金"),
            ("劳动争议", "支付拖欠工资及经济补偿金共计人民币{0}元"),
            ("金融借款合同纠纷", "偿还贷款本金人民币{0}元及利息、罚息"),
            ("租赁合同纠纷", "支付租金人民币{0}元并腾退租赁房屋"),
            ("机动车交通事故责任纠纷", "赔偿各项损失共计人民币{0}元"),
            ("服务合同纠纷", "支付服务费人民币{0}元及资金占用损失"),
        ];

        private static readonly string[] Circumstance =
        [
            Circumstances.CapableButRefuses, Circumstances.CapableButRefuses, Circumstances.CapableButRefuses, Circumstances.CapableButRefuses,
            Circumstances.ViolatesPropertyReporting, Circumstances.ViolatesPropertyReporting, Circumstances.ViolatesPropertyReporting,
            Circumstances.ViolatesConsumptionRestriction, Circumstances.ViolatesConsumptionRestriction,
            Circumstances.EvadesEnforcement, Circumstances.EvadesEnforcement,
            Circumstances.RefusesSettlement, Circumstances.ObstructsEnforcement,
        ];

        private readonly Random _random = new(Seed);
        private readonly IdentifierGenerator _ids = new(Seed);
        private readonly HashSet<string> _caseNumbers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byStatus = new(StringComparer.Ordinal);
        private readonly DemoCourt[] _entryCourts = [.. Courts.Where(c => c.Weight > 0)];
        private int _index;
        private EntryState? _state;

        public async Task<Dictionary<string, int>> RunAsync(CancellationToken ct)
        {
            var fates = Plan.SelectMany(p => Enumerable.Repeat(p.Fate, p.Count)).ToList();
            if (fates.Count != EntryCount)
            {
                throw new InvalidOperationException("demo plan has " + fates.Count.ToString(CultureInfo.InvariantCulture) + " entries");
            }

            // Interleave so that each court gets a mix, but deterministically.
            var order = fates.Select(f => (f, key: _random.Next())).OrderBy(x => x.key).Select(x => x.f).ToList();
            foreach (var fate in order)
            {
                Entry(fate);
                _index++;
                if (_index % 100 == 0)
                {
                    await session.FlushAsync(ct);
                }
            }

            return _byStatus;
        }

        private void Entry(Fate fate)
        {
            // The main court gets one of each special fate so that its keys show every feature.
            var court = fate is Fate.ReconsiderationPending or Fate.CorrectionOverdue or Fate.ListedFullyPerformedOverdue
                ? Courts.Single(c => string.Equals(c.Code, MainCourt, StringComparison.Ordinal))
                : PickCourt();
            var actor = new Actor(court.Code, keyIds.GetValueOrDefault(court.Code));
            var id = NextGuid();
            var circumstances = ChooseCircumstances(fate);
            var hasTerm = circumstances.Any(c => !string.Equals(c, Circumstances.CapableButRefuses, StringComparison.Ordinal));

            // The decision date decides what the term allows: a listed entry with a term must not have run out.
            var twoYearsAgo = today.AddYears(-2);
            DateOnly decided = fate switch
            {
                Fate.ListedGrace => Work(today.AddDays(-_random.Next(3, 20))),
                Fate.Expired => Work(twoYearsAgo.AddDays(-_random.Next(1, 40))),
                Fate.DeletedTermExpired => Work(twoYearsAgo.AddDays(-_random.Next(30, 400))),
                Fate.CorrectionOpen => Work(today.AddDays(-_random.Next(3, 8))),
                Fate.CorrectionOverdue => Work(today.AddDays(-_random.Next(27, 35))),
                Fate.ReconsiderationPending or Fate.ReconsiderationRejected or Fate.CorrectionRejected or Fate.CorrectionAccepted
                    => Work(today.AddDays(-_random.Next(40, 200))),
                _ when hasTerm => Work(today.AddDays(-_random.Next(20, 700))),
                _ => Work(today.AddDays(-_random.Next(20, 1400))),
            };
            var noticed = Work(decided.AddDays(-_random.Next(7, 30)));
            var filed = Work(noticed.AddDays(-_random.Next(15, 180)));
            if (fate is Fate.Draft or Fate.Noticed)
            {
                filed = Work(today.AddDays(-_random.Next(10, 120)));
                noticed = Work(today.AddDays(-_random.Next(0, 9)));
                if (noticed < filed)
                {
                    noticed = filed;
                }
            }

            var draft = Draft(id, court, filed, circumstances, fate);
            Apply(id, new DraftEntry(draft, [], today), actor);
            if (fate == Fate.Draft)
            {
                Count(EntryStatus.Draft);
                return;
            }

            Apply(id, new ServeRiskNotice(noticed, today), actor);
            if (fate == Fate.Noticed)
            {
                Count(EntryStatus.Noticed);
                return;
            }

            var serious = fate == Fate.ListedExtended || (circumstances.Contains(Circumstances.ObstructsEnforcement, StringComparer.Ordinal) && _random.Next(2) == 0);
            DateOnly? publishOn = fate == Fate.ListedGrace ? Min(today.AddDays(_random.Next(5, 45)), rules.Due(EntryDecider.Rules.GracePeriodMax, decided).DueOn) : null;
            int? term = hasTerm ? (fate == Fate.ListedExtended && _random.Next(2) == 0 ? 3 : 2) : null;
            Apply(id, new DecideListing(decided, publishOn, term, serious ? "serious" : "ordinary", today), actor);

            var state = _state!;
            var debt = state.Performance.PerformedAmount + state.Performance.UnperformedAmount;
            var exitOn = Between(decided.AddDays(5), today);
            switch (fate)
            {
                case Fate.ListedExtended:
                    Apply(id, new ExtendTerm(1, "多次实施失信行为，情节严重，依法延长纳入期限"), actor);
                    break;
                case Fate.ListedPartlyPerformed:
                {
                    var part = Math.Round(state.Performance.UnperformedAmount * (decimal)(0.1 + (_random.NextDouble() * 0.5)));
                    Apply(id, new RecordPerformance(new Performance(state.Performance.PerformedAmount + part, state.Performance.UnperformedAmount - part), false,
                        Between(decided, today)), actor);
                    break;
                }

                case Fate.ListedFullyPerformedOverdue:
                    // Paid in full but the court has not yet taken the entry off: the exit duty is overdue.
                    Apply(id, new RecordPerformance(new Performance(debt, 0m), true, Work(today.AddDays(-12))), actor);
                    break;
                case Fate.ListedFullyPerformedToday:
                    Apply(id, new RecordPerformance(new Performance(debt, 0m), true, today), actor);
                    break;
                case Fate.CorrectionOpen:
                    Correction(id, court, actor, today.AddDays(-2), today.AddDays(-1), null);
                    break;
                case Fate.CorrectionOverdue:
                    Correction(id, court, actor, today.AddDays(-25), today.AddDays(-21), null);
                    break;
                case Fate.CorrectionRejected:
                case Fate.ReconsiderationPending:
                case Fate.ReconsiderationRejected:
                case Fate.CorrectionAccepted:
                {
                    var received = decided.AddDays(_random.Next(1, 5));
                    var applied = received.AddDays(_random.Next(1, 6));
                    if (fate is Fate.ReconsiderationPending)
                    {
                        received = today.AddDays(-16);
                        applied = today.AddDays(-14);
                    }

                    Correction(id, court, actor, received, applied, fate);
                    break;
                }

                case Fate.ShieldedPerformed:
                {
                    var paidOn = exitOn.AddDays(-_random.Next(0, 3));
                    Apply(id, new RecordPerformance(new Performance(debt, 0m), true, paidOn < decided ? decided : paidOn), actor);
                    Apply(id, new ExitEntry(EntryStatus.Shielded, ExitReasons.FullyPerformed, exitOn, "被执行人已履行完毕生效法律文书确定的全部义务", today), actor);
                    break;
                }

                case Fate.ShieldedSettlement:
                    Apply(id, new ExitEntry(EntryStatus.Shielded, ExitReasons.SettlementPerformed, exitOn, "双方达成执行和解协议并已履行完毕", today), actor);
                    break;
                case Fate.ShieldedGuarantee:
                    Apply(id, new ExitEntry(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, exitOn, "被执行人提供足额执行担保，经申请执行人同意", today), actor);
                    break;
                case Fate.ShieldedTerminated:
                    Apply(id, new ExitEntry(EntryStatus.Shielded, ExitReasons.ExecutionTerminated, exitOn, "执行程序依法终结", today), actor);
                    break;
                case Fate.RevokedWrongly:
                    Apply(id, new ExitEntry(EntryStatus.Revoked, ExitReasons.WronglyListed, Between(decided, Min(decided.AddDays(20), today)),
                        "经审查，被执行人不符合纳入失信名单的条件，依职权撤销", today), actor);
                    break;
                case Fate.DeletedPerformed:
                    Apply(id, new RecordPerformance(new Performance(debt, 0m), true, exitOn), actor);
                    Apply(id, new ExitEntry(EntryStatus.Deleted, ExitReasons.FullyPerformed, exitOn, "案款已全部执行到位", today), actor);
                    break;
                case Fate.DeletedApplicantRequest:
                    Apply(id, new ExitEntry(EntryStatus.Deleted, ExitReasons.ApplicantRequest, exitOn, "申请执行人书面申请删除失信信息", today), actor);
                    break;
                case Fate.DeletedNoProperty:
                    Apply(id, new ExitEntry(EntryStatus.Deleted, ExitReasons.NoPropertyFound, exitOn, "经两次以上网络执行查控未发现可供执行财产，申请执行人未提供财产线索", today), actor);
                    break;
                case Fate.DeletedEarly:
                    Apply(id, new ExitEntry(EntryStatus.Deleted, ExitReasons.EarlyDeletion, exitOn, "被执行人积极履行并确有悔改表现，提前删除", today), actor);
                    break;
                case Fate.DeletedSuspended:
                    Apply(id, new ExitEntry(EntryStatus.Deleted, ExitReasons.EnforcementSuspended, exitOn, "执行依据进入再审程序，裁定中止执行", today), actor);
                    break;
                case Fate.Expired:
                case Fate.DeletedTermExpired:
                {
                    Apply(id, new ExpireTerm(today), actor);
                    if (fate == Fate.DeletedTermExpired)
                    {
                        var expires = state.ExpiresOn!.Value;
                        var deleted = rules.Calendar.AddWorkingDays(expires, _random.Next(1, 4));
                        Apply(id, new ExitEntry(EntryStatus.Deleted, ExitReasons.TermExpired, Min(deleted, today), "纳入期限届满", today), actor);
                    }

                    break;
                }

                default:
                    break;
            }

            Count(_state!.Status);
        }

        // A demo proceeding is recorded at 10:00 China time on the day it was filed (02:00 UTC), not at the seeding instant.
        private static DateTime Filed(DateOnly day) => day.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc);

        private void Correction(Guid id, DemoCourt court, Actor actor, DateOnly received, DateOnly applied, Fate? outcome)
        {
            var correctionId = NextGuid();
            var grounds = outcome == Fate.CorrectionAccepted
                ? "申请人已于纳入决定作出前履行完毕全部义务，不应被纳入失信名单"
                : "申请人无履行能力，并非有能力而拒不履行，且已如实申报财产";
            Apply(id, new FileCorrection(correctionId, received, applied, grounds, today), actor);
            session.Db.Proceedings.Add(new ProceedingRow
            {
                Id = correctionId, EntryId = id, CorrectionId = correctionId, Kind = "correction", CourtCode = court.Code, CreatedAt = Filed(applied),
            });
            if (outcome is null)
            {
                return;
            }

            var ruled = applied.AddDays(_random.Next(1, 3));
            var accepted = outcome == Fate.CorrectionAccepted;
            Apply(id, new RuleOnCorrection(correctionId, accepted ? "accepted" : "rejected", ruled,
                accepted ? "经核实，申请人纳入前已履行完毕，纠正理由成立，予以撤销" : "经审查，申请人具有履行能力，纠正理由不成立，予以驳回"), actor);
            if (outcome is Fate.ReconsiderationPending or Fate.ReconsiderationRejected)
            {
                var higher = court.Parent ?? throw new InvalidOperationException("court without a higher court");
                var rid = NextGuid();
                var served = ruled.AddDays(1);
                var filed = served.AddDays(_random.Next(1, 4));
                Apply(id, new FileReconsideration(correctionId, rid, higher, filed, served, "原审查未考虑申请人已提交的财产申报材料，请求撤销驳回决定", today), actor);
                session.Db.Proceedings.Add(new ProceedingRow
                {
                    Id = rid, EntryId = id, CorrectionId = correctionId, Kind = "reconsideration", CourtCode = higher, CreatedAt = Filed(filed),
                });
                if (outcome == Fate.ReconsiderationRejected)
                {
                    Apply(id, new RuleOnReconsideration(correctionId, rid, "rejected", filed.AddDays(_random.Next(3, 12)), "复议理由不成立，驳回复议申请"),
                        new Actor(higher, keyIds.GetValueOrDefault(higher)));
                }
            }
        }

        private EntryState Draft(Guid id, DemoCourt court, DateOnly filed, ImmutableArray<string> circumstances, Fate fate)
        {
            var isOrg = _random.Next(100) < 30 || _index % 37 == 5;
            var special = (_index % 89) switch
            {
                3 when !isOrg => "civil-servant",
                7 when !isOrg => "party-member",
                11 when !isOrg => "npc-deputy",
                15 when !isOrg => "cppcc-member",
                19 when isOrg => "state-owned",
                _ => null,
            };
            if (special == "state-owned" || (_index % 89 == 19 && !isOrg))
            {
                isOrg = true;
                special = "state-owned";
            }

            var region = court.Region;
            var kindNo = _random.Next(Obligations.Length);
            var (cause, obligationText) = Obligations[kindNo];
            var principal = isOrg ? Amount(50_000, 8_000_000) : Amount(3_000, 900_000);
            var performed = _random.Next(4) == 0 ? Math.Round(principal * (decimal)(_random.NextDouble() * 0.3)) : 0m;
            EntrySubject subject;
            var related = ImmutableArray.CreateBuilder<RelatedPerson>();
            if (isOrg)
            {
                var code = _ids.NextCreditCode(region);
                var rep = Person(region, out _);
                var name = special == "state-owned"
                    ? court.CompanyPrefixes[0] + Pick(["城市建设投资", "交通投资", "水务", "国有资产经营"]) + "有限公司"
                    : court.CompanyPrefixes[_random.Next(court.CompanyPrefixes.Length)] + Trade() + Pick(Industries) + "有限公司";
                subject = new EntrySubject
                {
                    Kind = "organization", Name = name, CreditCode = code.Value, OrganizationCode = code.OrganizationCode,
                    LegalRepresentative = new PersonRef(rep.Name, rep.Id),
                };
                related.Add(new RelatedPerson(RelatedRoles.LegalRepresentative, rep.Name, rep.Id));
                if (_random.Next(3) == 0)
                {
                    foreach (var role in new[] { RelatedRoles.ActualController, RelatedRoles.Director, RelatedRoles.SeniorManager, RelatedRoles.Supervisor }
                        .Take(_random.Next(1, 4)))
                    {
                        var p = Person(region, out _);
                        related.Add(new RelatedPerson(role, p.Name, p.Id));
                    }
                }
            }
            else
            {
                var p = Person(region, out var rid);
                var docs = _random.Next(12) == 0 || _index % 50 == 1
                    ? ImmutableArray.Create(new SubjectDocument("passport", _ids.NextPassport().Number))
                    : [];
                subject = new EntrySubject
                {
                    Kind = "person", Name = p.Name, IdNumber = p.Id, BirthDate = rid.BirthDate, Gender = rid.Sex == Sex.Male ? "male" : "female", Documents = docs,
                };
            }

            var basisYear = filed.Year - _random.Next(0, 2);
            var civilCode = _random.Next(5) == 0 && court.CaseCode.Length > 3 ? court.CaseCode[..3] : court.CaseCode;
            var issuer = string.Equals(civilCode, court.CaseCode, StringComparison.Ordinal) ? court.Name : Courts.Single(c => string.Equals(c.Code, court.Parent, StringComparison.Ordinal)).Name;
            var basis = civilCode.Length > 3
                ? new BasisDocument("(" + Year(basisYear) + ")" + civilCode + "民初" + Serial(8000) + "号", issuer)
                : new BasisDocument("(" + Year(basisYear) + ")" + civilCode + "民终" + Serial(3000) + "号", issuer);
            if (kindNo == 3 && _random.Next(2) == 0)
            {
                basis = new BasisDocument(court.CompanyPrefixes[0].TrimEnd('市', '县') + "劳人仲案字〔" + Year(basisYear) + "〕" + Serial(900) + "号", court.CompanyPrefixes[0] + "劳动人事争议仲裁委员会");
            }

            return new EntryState
            {
                Id = id,
                CourtCode = court.Code,
                CaseNumber = NewCaseNumber(court, filed),
                FilingDate = filed,
                BasisDocument = basis,
                Obligation = string.Format(CultureInfo.InvariantCulture, obligationText, principal.ToString("#,0.00", CultureInfo.InvariantCulture)) + "（" + cause + "）",
                Performance = new Performance(performed, principal - performed),
                Circumstances = circumstances,
                Subject = subject,
                RelatedPersons = related.ToImmutable(),
                Publicity = fate == Fate.ListedRestricted || (_index % 41 == 7 && !isOrg) ? "restricted" : "public",
                SpecialStatus = special,
                InitiatedBy = fate == Fate.DeletedApplicantRequest || _random.Next(5) == 0 ? "applicant" : "court",
                Severity = "ordinary",
            };
        }

        private ImmutableArray<string> ChooseCircumstances(Fate fate)
        {
            // SPC Art. 10 para 2: only an entry without a term leaves through an Art. 10 para 1 event (and only it owes the exit duty).
            if (fate is Fate.DeletedApplicantRequest or Fate.DeletedNoProperty or Fate.ShieldedPerformed or Fate.ShieldedSettlement
                or Fate.ShieldedTerminated or Fate.DeletedPerformed or Fate.DeletedSuspended or Fate.ListedFullyPerformedOverdue
                or Fate.ListedFullyPerformedToday)
            {
                return [Circumstances.CapableButRefuses];
            }

            // The first entries walk through every circumstance, so each appears whatever the random draw.
            string first = _index < Circumstances.All.Length ? Circumstances.All[_index] : Circumstance[_random.Next(Circumstance.Length)];
            var needsTerm = fate is Fate.Expired or Fate.DeletedTermExpired or Fate.ListedExtended or Fate.DeletedEarly;
            if (needsTerm && string.Equals(first, Circumstances.CapableButRefuses, StringComparison.Ordinal))
            {
                first = Circumstances.All[1 + _random.Next(Circumstances.All.Length - 1)];
            }

            var set = new List<string> { first };
            if (fate == Fate.ListedExtended || _random.Next(7) == 0)
            {
                var second = Circumstances.All[1 + _random.Next(Circumstances.All.Length - 1)];
                if (!set.Contains(second, StringComparer.Ordinal))
                {
                    set.Add(second);
                }
                else if (fate == Fate.ListedExtended)
                {
                    set.Add(string.Equals(second, Circumstances.ViolatesPropertyReporting, StringComparison.Ordinal)
                        ? Circumstances.EvadesEnforcement : Circumstances.ViolatesPropertyReporting);
                }
            }

            return [.. set];
        }

        private void Apply(Guid id, EntryCommand command, Actor actor)
        {
            var result = session.Apply(id, command is DraftEntry ? null : _state, command, rules, actor);
            if (result.IsRefused)
            {
                throw new InvalidOperationException("demo data: " + command.GetType().Name + " refused on entry " + id.ToString() + ": "
                    + result.Error!.Code + " — " + result.Error.Detail);
            }

            _state = result.State;
        }

        private void Count(EntryStatus s) => _byStatus[s.ToApi()] = _byStatus.GetValueOrDefault(s.ToApi()) + 1;

        private DemoCourt PickCourt()
        {
            var total = _entryCourts.Sum(c => c.Weight);
            var n = _random.Next(total);
            foreach (var c in _entryCourts)
            {
                if (n < c.Weight)
                {
                    return c;
                }

                n -= c.Weight;
            }

            return _entryCourts[^1];
        }

        private (string Name, string Id) Person(string region, out ResidentId id)
        {
            // Adults only: the youngest is 20 today, so never a minor on any decision date.
            id = _ids.NextResidentId(today.AddYears(-72), today.AddYears(-20).AddDays(-800), null, region);
            var given = id.Sex == Sex.Male ? MaleGiven : FemaleGiven;
            var name = Surnames[_random.Next(Surnames.Length)].ToString() + given[_random.Next(given.Length)];
            if (_random.Next(3) != 0)
            {
                name += given[_random.Next(given.Length)];
            }

            return (name, id.Value);
        }

        private string NewCaseNumber(DemoCourt court, DateOnly filed)
        {
            while (true)
            {
                var kind = _random.Next(6) == 0 ? "执恢" : "执";
                var text = "(" + Year(filed.Year) + ")" + court.CaseCode + kind + Serial(6000) + "号";
                var canonical = CaseNumber.Parse(text).Value;
                if (_caseNumbers.Add(canonical))
                {
                    return canonical;
                }
            }
        }

        private string Trade() => TradeChars[_random.Next(TradeChars.Length)].ToString() + TradeChars[_random.Next(TradeChars.Length)];

        private string Pick(string[] items) => items[_random.Next(items.Length)];

        private string Serial(int max) => (1 + _random.Next(max)).ToString(CultureInfo.InvariantCulture);

        private static string Year(int y) => y.ToString(CultureInfo.InvariantCulture);

        private decimal Amount(int min, int max)
        {
            // Log-uniform: many small debts, a few large ones; rounded to the yuan like most judgments.
            var v = Math.Exp(Math.Log(min) + (_random.NextDouble() * (Math.Log(max) - Math.Log(min))));
            return v > 100_000 ? Math.Round((decimal)v / 100m) * 100m : Math.Round((decimal)v);
        }

        private DateOnly Between(DateOnly from, DateOnly to) =>
            to <= from ? from : Work(DateOnly.FromDayNumber(from.DayNumber + _random.Next(to.DayNumber - from.DayNumber + 1)), from);

        /// <summary>The working day on or before <paramref name="d"/> (courts act on working days), not before <paramref name="floor"/>.</summary>
        private DateOnly Work(DateOnly d, DateOnly? floor = null)
        {
            var x = d;
            while (rules.Calendar.NextWorkingDayOnOrAfter(x) != x && (floor is null || x > floor))
            {
                x = x.AddDays(-1);
            }

            return x;
        }

        private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

        private Guid NextGuid()
        {
            Span<byte> bytes = stackalloc byte[16];
            _random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (little-endian field layout of System.Guid)
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
            return new Guid(bytes);
        }
    }
}
