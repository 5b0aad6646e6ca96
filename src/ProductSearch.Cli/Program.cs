Console.WriteLine("product-search");
