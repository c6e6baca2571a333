using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Shixin.Core.Entries;
using static Shixin.Core.Tests.Entries.Entry;

namespace Shixin.Core.Tests.Entries;

/// <summary>What a refusal must say in each language (issue 15 item 1): Chinese a clerk can read, English for the API.</summary>
public static partial class BilingualText
{
    public static void ShouldBeBilingual(DomainError error)
    {
        var zh = error.DetailZh;
        var en = error.Detail;
        zh.ShouldNotBeNullOrWhiteSpace(error.Code);
        en.ShouldNotBeNullOrWhiteSpace(error.Code);
        Cjk().IsMatch(zh).ShouldBeTrue("Chinese message without Chinese: " + zh);
        zh.ShouldNotContain(error.Code, Case.Sensitive, "the Chinese message names the internal code: " + zh);

        // No raw field path or API word in Chinese: a camelCase or dotted identifier, or an English word of 3+ letters.
        FieldPath().IsMatch(zh).ShouldBeFalse("Chinese message with a field path: " + zh);
        EnglishWord().IsMatch(zh).ShouldBeFalse("Chinese message with English words: " + zh);

        // The English message is English: Chinese only inside a citation of a Chinese document (法释〔2017〕7号).
        var withoutCitations = Citation().Replace(en, "");
        EnglishWord().IsMatch(en).ShouldBeTrue("English message without English: " + en);
        withoutCitations.Count(c => Cjk().IsMatch(c.ToString())).ShouldBeLessThan(8, "English message in Chinese: " + en);
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-zA-Z]+\.[a-zA-Z]+\b")]
    private static partial Regex FieldPath();

    [GeneratedRegex(@"[A-Za-z]{3,}")]
    private static partial Regex EnglishWord();

    [GeneratedRegex(@"[^\x00-\x7F]*〔\d{4}〕\d+号|[（(][^)）]*[)）]|'[^']*'")]
    private static partial Regex Citation();
}

/// <summary>
/// Drives the decider through every status with commands that are refused, and checks each refusal is bilingual.
/// The helper <see cref="Entry.Refuse"/> checks the same for every refusal the other tests provoke.
/// </summary>
public class BilingualRefusalTests
{
    private static readonly DateOnly Later = new(2024, 6, 3);

    private static IEnumerable<EntryState?> States()
    {
        yield return null;
        var draft = DraftState();
        yield return draft;
        var noticed = NoticedState();
        yield return noticed;
        var listed = ListedState();
        yield return listed;
        yield return ListedState(Person(Circumstances.CapableButRefuses));
        yield return ListedState(Organization());
        yield return listed.Accept(Exit(EntryStatus.Shielded, ExitReasons.GuaranteeProvided, Later));
        yield return listed.Accept(Exit(EntryStatus.Revoked, ExitReasons.WronglyListed, Later));
        yield return listed.Accept(Exit(EntryStatus.Deleted, ExitReasons.EarlyDeletion, Later));
    }

    private static IEnumerable<EntryCommand> Commands()
    {
        var future = new DateOnly(2030, 1, 1);
        yield return Draft(Person());
        yield return Draft(Person() with { Circumstances = [] });
        yield return Draft(Person() with { Circumstances = ["bogus"] });
        yield return Draft(Person(), Filed.AddDays(-1));
        yield return Draft(Person(), Later, new PriorListing(Guid.NewGuid(), EntryStatus.Listed, null, null));
        yield return new ServeRiskNotice(future, Later);
        yield return Decide(decidedOn: future, today: Later);
        yield return Decide(decidedOn: Noticed.AddDays(-3));
        yield return Decide(publishOn: Decided.AddDays(-1));
        yield return Decide(publishOn: Decided.AddMonths(7));
        yield return Decide(severity: "grave");
        yield return Decide(termYears: 4);
        yield return new PublishListing(Later);
        foreach (var kind in new[] { EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Deleted })
        {
            yield return Exit(kind, ExitReasons.FullyPerformed, Later);
            yield return Exit(kind, "early-deletion", Later);
            yield return Exit(kind, ExitReasons.WronglyListed, Decided.AddDays(-5), Later);
            yield return Exit(kind, ExitReasons.WronglyListed, future, Later);
        }

        yield return new ExtendTerm(2, "");
        yield return new ExtendTerm(9, "严重");
        yield return new AmendEntry(ImmutableDictionary<string, string?>.Empty, "更正");
        yield return new AmendEntry(ImmutableDictionary<string, string?>.Empty.Add("caseNumber", "x"), "");
        foreach (var field in EntryDecider.AmendableFields.Append("subject.secret"))
        {
            yield return new AmendEntry(ImmutableDictionary<string, string?>.Empty.Add(field, field == "specialStatus" ? new string('x', 300) : "bad value!"), "更正");
            yield return new AmendEntry(ImmutableDictionary<string, string?>.Empty.Add(field, ""), "更正");
        }

        yield return new RecordPerformance(new Performance(-1, 0), false, Later);
        yield return new RecordPerformance(new Performance(10, 5), true, Later);
        yield return new ExpireTerm(Later);
        yield return new FileCorrection(Guid.NewGuid(), Later, Later, "", Later);
        yield return new FileCorrection(Guid.NewGuid(), Noticed, Later, "理由", Later);
        yield return new FileCorrection(Guid.NewGuid(), Later, Later.AddDays(-3), "理由", Later);
        yield return new FileCorrection(Guid.NewGuid(), Decided, Later, "理由", Later);
        yield return new RuleOnCorrection(Guid.NewGuid(), "accepted", Later, "理由");
        yield return new FileReconsideration(Guid.NewGuid(), Guid.NewGuid(), HigherCourt, Later, null, "理由", Later);
        yield return new RuleOnReconsideration(Guid.NewGuid(), Guid.NewGuid(), "accepted", Later, "理由");
        yield return new GrantExemption(Guid.NewGuid(), PersonId, "nope", ["rail.ticketing"], Later, Later, "r", "b", Later);
        yield return new GrantExemption(Guid.NewGuid(), PersonId, ExemptionKinds.HumanitarianTravel, [], Later, Later, "r", "b", Later);
        yield return new GrantExemption(Guid.NewGuid(), PersonId, ExemptionKinds.HumanitarianTravel, ["bank.loan"], Later, Later, "r", "b", Later);
        yield return new GrantExemption(Guid.NewGuid(), PersonId, ExemptionKinds.HumanitarianTravel, ["rail.ticketing"], Later, Later.AddDays(-1), "r", "b", Later);
        yield return new GrantExemption(Guid.NewGuid(), PersonId, ExemptionKinds.HumanitarianTravel, ["rail.ticketing"], Later, Later, "", "b", Later);
        yield return new GrantExemption(Guid.NewGuid(), PersonId, ExemptionKinds.HumanitarianTravel, ["rail.ticketing"], Later, Later, "r", "", Later);
        yield return new GrantExemption(Guid.NewGuid(), "110101199001011234", ExemptionKinds.HumanitarianTravel, ["rail.ticketing"], Later, Later, "r", "b", Later);
        yield return new EndExemption(Guid.NewGuid(), "理由", Later);
    }

    [Fact]
    public void Every_refusal_across_states_and_commands_reads_in_Chinese_and_in_English()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var messages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in States())
        {
            foreach (var command in Commands())
            {
                var decision = EntryDecider.Decide(state, command, Rules);
                if (decision.Error is { } error)
                {
                    BilingualText.ShouldBeBilingual(error);
                    codes.Add(error.Code);
                    messages.Add(error.Detail);
                }
            }
        }

        // The sweep reaches the refusals it means to: every domain code the decider can answer with.
        codes.ShouldBe(
        [
            DomainError.Codes.IllegalTransition, DomainError.Codes.ValidationFailed, DomainError.Codes.InvalidDate,
            DomainError.Codes.InvalidTerm, DomainError.Codes.InvalidExtension, DomainError.Codes.InvalidExitReason,
            DomainError.Codes.DuplicateEntry, DomainError.Codes.UnknownField, DomainError.Codes.ExemptionScenarioMismatch,
            DomainError.Codes.ExemptionSubjectNotOnEntry, DomainError.Codes.WindowClosed, TestRules.InvalidIdNumber, TestRules.InvalidCreditCode, IdentifierErrorCodes.InvalidCaseNumber,
        ], ignoreOrder: true);
        messages.Count.ShouldBeGreaterThan(40);
    }

    [Fact]
    public void Chinese_refusals_keep_dates_and_spell_out_the_citation()
    {
        var minor = NoticedState(Person() with { Subject = Person().Subject with { BirthDate = new DateOnly(2010, 1, 1) } })
            .Refuse(Decide(), DomainError.Codes.SubjectIsMinor);
        minor.DetailZh.ShouldContain("2010-01-01");
        minor.DetailZh.ShouldContain("《最高人民法院关于公布失信被执行人名单信息的若干规定》第四条");
        minor.Detail.ShouldContain("under 18");

        var grace = NoticedState().Refuse(Decide(publishOn: Decided.AddMonths(7)), DomainError.Codes.InvalidDate);
        grace.DetailZh.ShouldContain("（法发〔2019〕35号）第15条");
        grace.Detail.ShouldContain(EntryDecider.Rules.GracePeriodMax);

        var exit = ListedState().Refuse(Exit(EntryStatus.Shielded, ExitReasons.EarlyDeletion, Later), DomainError.Codes.InvalidExitReason);
        exit.DetailZh.ShouldBe("退出事由“提前删除”不适用于屏蔽；可选事由：已履行全部义务、执行和解协议已履行完毕、执行终结、提供有效担保");
    }

    [Theory]
    [InlineData("000 §四(二)3", "《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中办发〔2016〕64号）第四部分第（二）项第3点")]
    [InlineData("003 §三(二)", "江苏省《关于建立对失信被执行人联合惩戒机制的实施意见》第三部分第（二）项")]
    [InlineData("法释〔2017〕7号 第十二条", "《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）第十二条")]
    [InlineData("seeds silent; 法发〔2019〕35号 §15", "《最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见》（法发〔2019〕35号）第15条")]
    [InlineData("platform default (002 §四(二)8 sets no period)",
        "平台默认期限（《关于加快推进失信被执行人信用惩戒体系建设支持人民法院解决执行难问题的意见》（宁党办〔2017〕54号）第四部分第（二）项第8点未规定期限）")]
    public void Citations_are_spelled_out(string source, string zh) => LegalCitations.Zh(source).ShouldBe(zh);
}
