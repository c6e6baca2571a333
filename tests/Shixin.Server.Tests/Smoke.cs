public class SmokeServer { [Fact] public void Builds() => true.ShouldBeTrue(); }
