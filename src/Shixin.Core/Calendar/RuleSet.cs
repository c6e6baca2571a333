using System.Collections.Frozen;

namespace Shixin.Core.Calendar;

/// <summary>A named, versioned set of legal periods (e.g. <c>seeds</c>, <c>spc-2017</c>); a deployment picks one.</summary>
public sealed class RuleSet
{
    private readonly FrozenDictionary<string, LegalRule> _byId;

    /// <summary>Creates a rule set; rule ids must be unique (ordinal).</summary>
    public RuleSet(string name, string description, IEnumerable<LegalRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rules);
        Name = name;
        Description = description ?? string.Empty;
        Rules = rules.ToArray();
        var byId = new Dictionary<string, LegalRule>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            if (!byId.TryAdd(rule.Id, rule))
            {
                throw new ArgumentException($"Rule set '{name}' defines rule '{rule.Id}' twice.", nameof(rules));
            }
        }
        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The set's name, e.g. <c>seeds</c>.</summary>
    public string Name { get; }

    /// <summary>What the set is based on.</summary>
    public string Description { get; }

    /// <summary>The rules, in file order.</summary>
    public IReadOnlyList<LegalRule> Rules { get; }

    /// <summary>Whether the set defines <paramref name="ruleId"/>.</summary>
    public bool Contains(string ruleId) => _byId.ContainsKey(ruleId);

    /// <summary>The rule with id <paramref name="ruleId"/>, if defined.</summary>
    public bool TryGet(string ruleId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LegalRule? rule) =>
        _byId.TryGetValue(ruleId, out rule);

    /// <summary>The rule with id <paramref name="ruleId"/>; throws <see cref="KeyNotFoundException"/> naming the set when it is unknown.</summary>
    public LegalRule Get(string ruleId)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        return _byId.TryGetValue(ruleId, out var rule)
            ? rule
            : throw new KeyNotFoundException($"Rule '{ruleId}' is not defined in rule set '{Name}'.");
    }

    /// <summary>The deadline of rule <paramref name="ruleId"/> for an event on <paramref name="trigger"/>, naming the rule, this set and the source, flagged provisional where the holiday data does not reach.</summary>
    /// <exception cref="InvalidOperationException">The rule sets no period in this set (see <see cref="TryDue"/>).</exception>
    public Deadline Due(string ruleId, DateOnly trigger, LegalCalendar calendar)
    {
        var rule = Get(ruleId);
        var (due, provisional) = rule.DueWithProvisional(trigger, calendar);
        return new Deadline(due, rule.Id, Name, rule.Source, provisional);
    }

    /// <summary>The deadline of rule <paramref name="ruleId"/>, or false when this set sets no period for it (unit <c>none</c>).</summary>
    public bool TryDue(string ruleId, DateOnly trigger, LegalCalendar calendar, out Deadline deadline)
    {
        if (!Get(ruleId).SetsPeriod)
        {
            deadline = default;
            return false;
        }

        deadline = Due(ruleId, trigger, calendar);
        return true;
    }
}
