using Shixin.Server.Auth;

namespace Shixin.Server.Tests.Hub;

/// <summary>Key ids never collide, however many keys are issued in the same millisecond (issue 15, the flaky demo test).</summary>
public sealed class KeyIdTests
{
    [Fact]
    public void Ids_issued_together_are_distinct()
    {
        // The old 16-hex-digit prefix of a UUIDv7 kept 12 random bits a millisecond: 200,000 ids in a tight loop
        // (a few hundred a millisecond) collided every time.
        var ids = Enumerable.Range(0, 200_000).Select(_ => ApiKeys.NewId()).ToList();
        ids.Distinct(StringComparer.Ordinal).Count().ShouldBe(ids.Count);
        ids.ShouldAllBe(id => id.Length == "key_".Length + 32);
    }
}
