using System.Text;
using Shixin.Server.Http;

namespace Shixin.Server.Tests.Http;

/// <summary>The batch page's encoding check (issue 15): a valid file is never refused because of where reads end.</summary>
public sealed class Utf8CheckTests
{
    /// <summary>Hands out at most <c>chunk</c> bytes a read, as a network upload does.</summary>
    private sealed class Trickle(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(65535)]
    [InlineData(65536)]
    public async Task A_character_split_across_reads_is_valid(int chunk)
    {
        var text = "idNumber,name\r\n" + string.Concat(Enumerable.Range(0, 8000).Select(i => "110101199003070011,王批量" + i + "\r\n"));
        var bytes = Encoding.UTF8.GetBytes(text);
        // The test means something only if some read ends inside a character (a continuation byte starts the next read).
        Enumerable.Range(1, bytes.Length / chunk).Any(k => (bytes[k * chunk] & 0xC0) == 0x80).ShouldBeTrue();
        await Utf8Check.EnsureAsync(new Trickle(bytes, chunk), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Gbk_bytes_are_refused()
    {
        byte[] gbk = [.. "idNumber,name\r\n110101199003070011,"u8, 0xCD, 0xF5, 0xC8, 0xFD, 0x0D, 0x0A];
        await Should.ThrowAsync<DecoderFallbackException>(() => Utf8Check.EnsureAsync(new Trickle(gbk, 3), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_file_ending_inside_a_character_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("name\r\n王");
        await Should.ThrowAsync<DecoderFallbackException>(() =>
            Utf8Check.EnsureAsync(new Trickle(bytes[..^1], 2), TestContext.Current.CancellationToken));
    }
}
