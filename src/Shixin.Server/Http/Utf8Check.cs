using System.Text;

namespace Shixin.Server.Http;

/// <summary>Whether an uploaded file is UTF-8, read in buffers.</summary>
internal static class Utf8Check
{
    /// <summary>
    /// Throws <see cref="DecoderFallbackException"/> unless the whole stream is UTF-8. The decoder keeps a character
    /// split across two reads (a Chinese character is three bytes and lands on a buffer boundary often) until the
    /// next read completes it; <c>GetChars</c> keeps that state, <c>GetCharCount</c> would not.
    /// </summary>
    public static async Task EnsureAsync(Stream input, CancellationToken ct)
    {
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        var buffer = new byte[1 << 16];
        // A read yields at most one char per byte, plus one for a character the previous read left incomplete.
        var chars = new char[buffer.Length + 2];
        int n;
        while ((n = await input.ReadAsync(buffer, ct)) > 0)
        {
            decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
        }

        decoder.GetChars([], 0, 0, chars, 0, flush: true);
    }
}
