using Microsoft.EntityFrameworkCore;
using Shixin.Core.Entries;
using Shixin.Core.Oversight;

namespace Shixin.Data;

/// <summary>
/// Databases written before objections became entry events (issue 12) hold <c>objections</c> rows without the
/// <c>entry.objection-filed</c> / <c>entry.objection-verified</c> events: the entry's state and unit view do not know them,
/// the court could not verify an open one (the decider finds no such objection), and subject status could not name them.
/// At every start this records each such objection in the ledger, once: a filed event and, when verified, its finding,
/// each with a list sequence at the head (a past check cannot be given a sequence it did not see; the events carry the
/// original receipt and verification dates). The rows stay as they are: they already say what the events say.
/// </summary>
public static class ObjectionBackfill
{
    /// <summary>What one run adopted: objections recorded as events, list sequences handed out, and rows that could not be read.</summary>
    public sealed record Result(int Objections, int Sequences, IReadOnlyList<string> Refused);

    public static async Task<Result> RunAsync(ShixinDatabase database, TimeProvider time, IEntryRules rules, CancellationToken ct)
    {
        // Fast path at every start: as many filings in the ledger as objection rows means nothing is left to adopt
        // (every filing writes its row in the same transaction, and a row is only ever written by a filing or adopted).
        await using (var db = database.CreateContext())
        {
            var rows = await db.Objections.CountAsync(ct);
            var filed = await db.LedgerEvents.CountAsync(e => e.Type == EntryEventTypes.ObjectionFiled, ct);
            if (rows <= filed)
            {
                return new Result(0, 0, []);
            }
        }

        await using var session = await LedgerSession.BeginAsync(database, time, ct);
        var all = await session.Db.Objections.AsNoTracking().OrderBy(o => o.EntryNo).ThenBy(o => o.CreatedAt).ToListAsync(ct);
        var adopted = 0;
        var refused = new List<string>();
        foreach (var group in all.GroupBy(o => o.EntryId))
        {
            var state = await session.LoadAsync(group.Key, ct);
            if (state is null)
            {
                refused.AddRange(group.Select(o => "objection " + o.Id.ToString() + " names entry " + group.Key.ToString() + ", which the ledger does not hold"));
                continue;
            }

            var recorded = new List<Objection>();
            foreach (var row in group)
            {
                if (!rules.TryDue(row.Rule, row.ReceivedOn, out var due))
                {
                    refused.Add("objection " + row.Id.ToString() + " names rule '" + row.Rule + "', which the rule set does not define");
                    continue;
                }

                recorded.Add(new Objection
                {
                    Id = row.Id, Organization = row.OrganizationCode, MeasureId = row.MeasureCode, ReceivedOn = row.ReceivedOn, Grounds = row.Grounds,
                    // The due date the court was given stays; the rule set supplies the rule's name and source.
                    VerifyDue = due with { DueOn = row.VerifyDueOn },
                    Status = row.Status, VerifiedOn = row.VerifiedOn, Reasons = row.Reasons,
                });
            }

            var adoption = ObjectionDecider.Adopt(state, recorded);
            refused.AddRange(adoption.Refused.Select(r => r.Reason));
            var byId = group.ToDictionary(o => o.Id);
            foreach (var e in adoption.Events)
            {
                // Who acted: the unit filed, the executing court verified.
                var actor = e is ObjectionFiled f
                    ? new Actor(byId[f.Objection.Id].OrganizationCode, null)
                    : new Actor(byId[((ObjectionVerified)e).ObjectionId].CourtCode, null);
                state = session.Adopt(group.Key, state!, [e], actor).State;
                adopted += e is ObjectionFiled ? 1 : 0;
            }
        }

        var sequences = (int)(session.Head - session.StartHead);
        await session.CommitAsync(ct);
        return new Result(adopted, sequences, refused);
    }
}
