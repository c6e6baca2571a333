Console.WriteLine("shixin");
